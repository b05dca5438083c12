package ai.higress;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.RecordedRequest;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static ai.higress.GatewayServerTest.chatBody;
import static ai.higress.GatewayServerTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Providers and logical models managed through the admin API, over real sockets: changes route at once, secrets never
 * leave the gateway in clear, validation answers name the field, file entities are read-only, and a change made on
 * one replica reaches another replica sharing the database.
 */
class AdminProvidersModelsServerTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String ADMIN = "admin-token-0123456789abcdef";
    private static final String KEY_ONE = "sk-acme-first-secret-0123456789";
    private static final String KEY_TWO = "sk-acme-second-secret-9876543210";
    private static final String CONFIG_KEY = "sk-config-file-secret-0123456789";

    private ScriptedUpstream a;
    private ScriptedUpstream b;
    private String databaseUrl;
    private final List<TestGateway> gateways = new ArrayList<>();
    private TestGateway gateway;

    @BeforeEach
    void start() {
        a = ScriptedUpstream.start();
        b = ScriptedUpstream.start();
        a.otherwise(Step.json(200, OpenAiChunks.completion("m-a", "from a", 3, 1)));
        b.otherwise(Step.json(200, OpenAiChunks.completion("m-b", "from b", 3, 1)));
        databaseUrl = "jdbc:h2:mem:adminpm-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        gateway = startGateway();
    }

    @AfterEach
    void stop() {
        gateways.forEach(TestGateway::close);
        a.close();
        b.close();
    }

    private TestGateway startGateway() {
        TestGateway started = TestGateway.start("""
                providers:
                  cfg: {type: openai, base-url: "%s", api-key: "%s", models: [m-b]}
                models:
                  cfg-model: {targets: [{provider: cfg, model: m-b}]}
                timeouts: {connect: PT1S, first-token: PT2S, idle: PT2S, request: PT5S, stream: PT5S}
                routing:
                  retry: {backoff: PT0.001S, max-backoff: PT0.002S}
                admin: {token: "%s"}
                database: {url: "%s"}
                control-plane: {poll-interval: PT0.2S}
                """.formatted(b.baseUri(), CONFIG_KEY, ADMIN, databaseUrl));
        gateways.add(started);
        return started;
    }

    // ---- helpers

    private HttpResponse<String> call(TestGateway target, String method, String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return target.send(request.build());
    }

    private HttpResponse<String> call(String method, String path, String body) {
        return call(gateway, method, path, body, ADMIN);
    }

    private JsonNode ok(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        return response.body().isEmpty() ? null : parse(response.body());
    }

    private static void assertError(int status, String param, String code, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = parse(response.body()).path("error");
        if (param != null) {
            assertEquals(param, error.path("param").asText(), response.body());
        }
        if (code != null) {
            assertEquals(code, error.path("code").asText(), response.body());
        }
    }

    private static String acme(String baseUrl) {
        return """
                {"id": "acme", "type": "openai", "base-url": "%s",
                 "api-keys": [{"key": "%s", "weight": 1}, {"key": "%s", "weight": 1}],
                 "models": ["m-a", {"name": "m-a-big", "input-price": "2.5", "output-price": 10, "reasoning": true,
                                    "context-window": 128000}]}
                """.formatted(baseUrl, KEY_ONE, KEY_TWO);
    }

    private String createAcme() {
        ok(201, call("POST", "/admin/api/providers", acme(a.baseUri().toString())));
        return "acme";
    }

    private void createModel(String body) {
        ok(201, call("POST", "/admin/api/models", body));
    }

    private String bearerOf(RecordedRequest request) {
        return request.header("Authorization").orElse("");
    }

    private List<List<String>> query(String sql) {
        try (Connection connection = DriverManager.getConnection(databaseUrl);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<List<String>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rows.getString(i));
                }
                result.add(row);
            }
            return result;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    // ---- tests

    @Test
    void providerAndModelCreatedThroughTheApiRouteAtOnceWithOneOfTheirKeys() {
        JsonNode created = ok(201, call("POST", "/admin/api/providers", acme(a.baseUri().toString())));
        assertEquals("acme", created.path("id").asText());
        assertEquals("database", created.path("source").asText());
        assertEquals("active", created.path("status").asText());
        assertEquals(2, created.path("keys").size());
        assertEquals("sk-a…6789", created.path("keys").path(0).path("hint").asText());
        assertEquals("[\"m-a\",\"m-a-big\"]", created.path("models").toString());

        JsonNode model = ok(201, call("POST", "/admin/api/models", """
                {"name": "smart", "strategy": "weighted", "targets": [{"provider": "acme", "model": "m-a"}]}"""));
        assertEquals("database", model.path("source").asText());
        assertTrue(model.path("routable").asBoolean());

        HttpResponse<String> response = gateway.post(CHAT, chatBody("smart", false, ""));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("acme", response.headers().firstValue("x-higress-provider").orElseThrow());
        assertEquals(1, a.callCount());
        assertTrue(Set.of("Bearer " + KEY_ONE, "Bearer " + KEY_TWO).contains(bearerOf(a.lastRequest())),
                bearerOf(a.lastRequest()));
        assertEquals("m-a", a.lastRequest().json().path("model").asText());

        // the catalog keeps what only the API stores, and the provider/model id routes too
        JsonNode catalog = ok(200, call("GET", "/admin/api/providers/acme/models", null)).path("data");
        assertEquals(2, catalog.size());
        assertEquals("m-a-big", catalog.path(1).path("model").asText());
        assertTrue(catalog.path(1).path("reasoning").asBoolean());
        assertEquals(128000, catalog.path(1).path("context_window").asInt());
        assertEquals("2.5", catalog.path(1).path("input_price_per_mtok").asText());
        assertEquals("2.5", catalog.path(1).path("cached_price_per_mtok").asText());
        assertEquals(200, gateway.post(CHAT, chatBody("acme/m-a-big", false, "")).statusCode());
    }

    @Test
    void secretsNeverLeaveInClearNorAreStoredInClear() {
        createAcme();
        ok(201, call("POST", "/admin/api/providers/acme/keys", "{\"key\": \"sk-acme-third-secret-000111222\"}"));
        for (String path : List.of("/admin/api/providers", "/admin/api/providers/acme", "/admin/api/providers/cfg",
                "/admin/api/providers/acme/keys")) {
            String body = ok(200, call("GET", path, null)).toString();
            for (String secret : List.of(KEY_ONE, KEY_TWO, CONFIG_KEY, "sk-acme-third-secret-000111222")) {
                assertFalse(body.contains(secret), path + " shows a secret: " + body);
            }
        }
        // a credential-looking static header is shown as a hint too; an empty list or map is fine
        JsonNode headers = ok(201, call("POST", "/admin/api/providers", """
                {"id": "local", "type": "openai", "base-url": "http://127.0.0.1:9", "models": [], "api-keys": [],
                 "headers": {"HTTP-Referer": "https://example.com", "X-Api-Key": "hdr-secret-0123456789"}}"""));
        assertEquals("https://example.com", headers.path("headers").path("HTTP-Referer").asText());
        assertEquals("hdr-…6789", headers.path("headers").path("X-Api-Key").asText());
        assertEquals("[]", headers.path("models").toString());
        assertEquals("[]", headers.path("keys").toString());

        JsonNode cfg = ok(200, call("GET", "/admin/api/providers/cfg", null));
        assertEquals("config", cfg.path("source").asText());
        assertEquals("cfg#0", cfg.path("keys").path(0).path("id").asText());
        assertEquals("sk-c…6789", cfg.path("keys").path(0).path("hint").asText());

        List<List<String>> stored = query("SELECT id, provider_id, ciphertext, hint FROM provider_keys");
        assertEquals(3, stored.size());
        for (List<String> row : stored) {
            String all = String.join(" ", row);
            for (String secret : List.of(KEY_ONE, KEY_TWO, CONFIG_KEY, "sk-acme-third-secret-000111222")) {
                assertFalse(all.contains(secret), "stored in clear: " + all);
            }
            assertTrue(row.get(2).length() > 40, "ciphertext: " + row.get(2));
        }
        String audit = query("SELECT details_json FROM audit_log").toString();
        assertFalse(audit.contains(KEY_ONE) || audit.contains(KEY_TWO) || audit.contains("third-secret"), audit);
    }

    @Test
    void validationErrorsNameTheField() {
        assertError(400, "base-url", "invalid_value", call("POST", "/admin/api/providers",
                "{\"id\": \"x\", \"type\": \"openai\", \"base-url\": \"ftp://nope\", \"api-key\": \"sk-1234567890ab\"}"));
        assertError(400, "preset", "invalid_value", call("POST", "/admin/api/providers",
                "{\"id\": \"x\", \"type\": \"openai\", \"preset\": \"nonesuch\", \"api-key\": \"sk-1234567890ab\"}"));
        assertError(400, "type", "invalid_value", call("POST", "/admin/api/providers",
                "{\"id\": \"x\", \"base-url\": \"http://127.0.0.1:9\"}"));
        assertError(400, "api-key", "invalid_value", call("POST", "/admin/api/providers",
                "{\"id\": \"x\", \"type\": \"openai\", \"preset\": \"openai\"}"));
        assertError(400, "models.1.input-price", "invalid_value", call("POST", "/admin/api/providers",
                "{\"id\": \"x\", \"type\": \"openai\", \"base-url\": \"http://127.0.0.1:9\", \"models\": [\"a\","
                        + " {\"name\": \"b\", \"input-price\": -1}]}"));
        // no environment variable or system property is ever substituted into a body
        assertError(400, "api-key", "invalid_value", call("POST", "/admin/api/providers",
                "{\"id\": \"x\", \"type\": \"openai\", \"base-url\": \"http://127.0.0.1:9\", \"api-key\": \"${PATH}\"}"));
        assertError(400, "api-key", "invalid_value", call("POST", "/admin/api/providers",
                "{\"id\": \"x\", \"type\": \"openai\", \"base-url\": \"http://127.0.0.1:9\","
                        + " \"api-key\": \"${java.home}\"}"));
        assertError(400, "id", "invalid_value", call("POST", "/admin/api/providers",
                "{\"id\": \"Bad.Id\", \"type\": \"openai\", \"base-url\": \"http://127.0.0.1:9\"}"));
        assertError(400, "id", "missing_required_parameter", call("POST", "/admin/api/providers",
                "{\"type\": \"openai\", \"base-url\": \"http://127.0.0.1:9\"}"));
        assertError(400, null, null, call("POST", "/admin/api/providers", "not json"));
        assertError(409, null, "conflict", call("POST", "/admin/api/providers",
                "{\"id\": \"cfg\", \"type\": \"openai\", \"base-url\": \"http://127.0.0.1:9\"}"));
        createAcme();
        assertError(409, null, "conflict", call("POST", "/admin/api/providers", acme("http://127.0.0.1:9")));

        assertError(400, "targets.0.provider", "invalid_value", call("POST", "/admin/api/models",
                "{\"name\": \"m\", \"targets\": [{\"provider\": \"nope\", \"model\": \"x\"}]}"));
        assertError(400, "targets", "invalid_value", call("POST", "/admin/api/models", "{\"name\": \"m\"}"));
        assertError(400, "strategy", "invalid_value", call("POST", "/admin/api/models",
                "{\"name\": \"m\", \"strategy\": \"random\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}]}"));
        assertError(400, "fallbacks.0", "invalid_value", call("POST", "/admin/api/models",
                "{\"name\": \"m\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}], \"fallbacks\": [\"ghost\"]}"));
        assertError(400, "name", "invalid_value", call("POST", "/admin/api/models",
                "{\"name\": \"has space\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}]}"));
        assertError(409, null, "conflict", call("POST", "/admin/api/models",
                "{\"name\": \"cfg-model\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}]}"));

        // a cycle: one -> two exists, then two -> one is refused, whichever model the check reaches first
        createModel("{\"name\": \"one\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}]}");
        createModel("{\"name\": \"two\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}],"
                + " \"fallbacks\": [\"one\"]}");
        HttpResponse<String> cycle = call("PUT", "/admin/api/models/one",
                "{\"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}], \"fallbacks\": [\"two\"]}");
        assertError(400, "fallbacks", "invalid_value", cycle);
        assertTrue(cycle.body().contains("cycle"), cycle.body());
        assertError(400, "fallbacks.0", "invalid_value", call("PUT", "/admin/api/models/one",
                "{\"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}], \"fallbacks\": [\"one\"]}"));
        assertEquals("[]", ok(200, call("GET", "/admin/api/models/one", null)).path("fallbacks").toString(),
                "a refused change leaves the model as it was");

        assertError(400, "models.0.tools", "invalid_value", call("PUT", "/admin/api/providers/acme/models",
                "{\"models\": [{\"model\": \"m-a\", \"tools\": \"yes\"}]}"));
        assertError(400, "status", "invalid_value", call("PATCH", "/admin/api/providers/acme",
                "{\"status\": \"paused\"}"));
        assertError(400, "weight", "invalid_value", call("POST", "/admin/api/providers/acme/keys",
                "{\"key\": \"sk-1234567890abcdef\", \"weight\": 0}"));
    }

    @Test
    void configManagedEntitiesAreReadOnly() {
        String cfg = "{\"type\": \"openai\", \"base-url\": \"http://127.0.0.1:9\"}";
        List<HttpResponse<String>> writes = List.of(
                call("PUT", "/admin/api/providers/cfg", cfg),
                call("PATCH", "/admin/api/providers/cfg", "{\"status\": \"disabled\"}"),
                call("DELETE", "/admin/api/providers/cfg", null),
                call("POST", "/admin/api/providers/cfg/keys", "{\"key\": \"sk-1234567890abcdef\"}"),
                call("PATCH", "/admin/api/providers/cfg/keys/cfg%230", "{\"weight\": 2}"),
                call("DELETE", "/admin/api/providers/cfg/keys/cfg%230", null),
                call("PUT", "/admin/api/providers/cfg/models", "{\"models\": []}"),
                call("PUT", "/admin/api/models/cfg-model", "{\"targets\": [{\"provider\": \"cfg\", \"model\": \"x\"}]}"),
                call("DELETE", "/admin/api/models/cfg-model", null));
        for (HttpResponse<String> response : writes) {
            assertError(409, null, "conflict", response);
            assertTrue(response.body().contains("configuration file"), response.body());
        }
        assertEquals(200, gateway.post(CHAT, chatBody("cfg-model", false, "")).statusCode());
        assertEquals("config", ok(200, call("GET", "/admin/api/models/cfg-model", null)).path("source").asText());
        assertEquals(0, query("SELECT id FROM audit_log WHERE resource_type LIKE 'provider%'"
                + " OR resource_type = 'logical_model'").size());
    }

    @Test
    void namesWithDotsAndSlashesCanBeAddressed() {
        createAcme();
        createModel("{\"name\": \"team/gpt-4.1\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}]}");
        assertEquals("team/gpt-4.1", ok(200, call("GET", "/admin/api/models/team%2Fgpt-4.1", null)).path("name").asText());
        assertEquals("team/gpt-4.1", ok(200, call("GET", "/admin/api/models/team/gpt-4.1", null)).path("name").asText());
        assertEquals(200, gateway.post(CHAT, chatBody("team/gpt-4.1", false, "")).statusCode());
        ok(200, call("PUT", "/admin/api/models/team%2Fgpt-4.1",
                "{\"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\", \"weight\": 2}]}"));
        ok(204, call("DELETE", "/admin/api/models/team%2Fgpt-4.1", null));
    }

    @Test
    void unknownIdsAre404() {
        createAcme();
        assertError(404, null, "not_found", call("GET", "/admin/api/providers/nope", null));
        assertError(404, null, "not_found", call("PUT", "/admin/api/providers/nope", acme("http://127.0.0.1:9")));
        assertError(404, null, "not_found", call("PATCH", "/admin/api/providers/nope", "{\"status\": \"disabled\"}"));
        assertError(404, null, "not_found", call("DELETE", "/admin/api/providers/nope", null));
        assertError(404, null, "not_found", call("GET", "/admin/api/providers/nope/keys", null));
        assertError(404, null, "not_found", call("GET", "/admin/api/providers/nope/models", null));
        assertError(404, null, "not_found", call("PATCH", "/admin/api/providers/acme/keys/pk_nope", "{\"weight\": 2}"));
        assertError(404, null, "not_found", call("DELETE", "/admin/api/providers/acme/keys/pk_nope", null));
        assertError(404, null, "not_found", call("DELETE", "/admin/api/providers/acme/keys/cfg%230", null));
        assertError(404, null, "not_found", call("GET", "/admin/api/models/nope", null));
        assertError(404, null, "not_found", call("PUT", "/admin/api/models/nope", "{\"targets\": []}"));
        assertError(404, null, "not_found", call("DELETE", "/admin/api/models/nope", null));
    }

    @Test
    void deletingAProviderStillTargetedIsRefusedUnlessForced() {
        createAcme();
        createModel("{\"name\": \"smart\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}]}");
        HttpResponse<String> refused = call("DELETE", "/admin/api/providers/acme", null);
        assertError(409, null, "conflict", refused);
        assertTrue(refused.body().contains("smart"), refused.body());
        assertEquals(200, gateway.post(CHAT, chatBody("smart", false, "")).statusCode());

        ok(204, call("DELETE", "/admin/api/providers/acme?force=true", null));
        assertError(404, null, null, call("GET", "/admin/api/providers/acme", null));
        assertError(404, null, "model_not_found", gateway.post(CHAT, chatBody("smart", false, "")));
        assertEquals(0, query("SELECT * FROM provider_keys WHERE provider_id = 'acme'").size());

        // a model that is a fallback of another cannot go first
        createAcme();
        createModel("{\"name\": \"base\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}]}");
        createModel("{\"name\": \"top\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}],"
                + " \"fallbacks\": [\"base\"]}");
        assertError(409, null, "conflict", call("DELETE", "/admin/api/models/base", null));
        ok(204, call("DELETE", "/admin/api/models/top", null));
        ok(204, call("DELETE", "/admin/api/models/base", null));
        assertError(404, null, "model_not_found", gateway.post(CHAT, chatBody("base", false, "")));
    }

    @Test
    void viewersMayReadButNotWrite() {
        ok(201, call("POST", "/admin/api/users",
                "{\"username\": \"vera\", \"password\": \"viewer-password-123\", \"role\": \"viewer\"}"));
        String token = ok(200, call("POST", "/admin/api/login",
                "{\"username\": \"vera\", \"password\": \"viewer-password-123\"}")).path("token").asText();
        createAcme();
        createModel("{\"name\": \"smart\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}]}");

        for (String path : List.of("/admin/api/providers", "/admin/api/providers/acme", "/admin/api/providers/acme/keys",
                "/admin/api/providers/acme/models", "/admin/api/models", "/admin/api/models/smart")) {
            assertEquals(200, call(gateway, "GET", path, null, token).statusCode(), path);
        }
        String keyId = ok(200, call("GET", "/admin/api/providers/acme", null)).path("keys").path(0).path("id").asText();
        List<HttpResponse<String>> writes = List.of(
                call(gateway, "POST", "/admin/api/providers", acme("http://127.0.0.1:9").replace("acme", "other"),
                        token),
                call(gateway, "PUT", "/admin/api/providers/acme", acme("http://127.0.0.1:9"), token),
                call(gateway, "PATCH", "/admin/api/providers/acme", "{\"status\": \"disabled\"}", token),
                call(gateway, "DELETE", "/admin/api/providers/acme", null, token),
                call(gateway, "POST", "/admin/api/providers/acme/keys", "{\"key\": \"sk-1234567890abcdef\"}", token),
                call(gateway, "PATCH", "/admin/api/providers/acme/keys/" + keyId, "{\"weight\": 3}", token),
                call(gateway, "DELETE", "/admin/api/providers/acme/keys/" + keyId, null, token),
                call(gateway, "PUT", "/admin/api/providers/acme/models", "{\"models\": []}", token),
                call(gateway, "POST", "/admin/api/models",
                        "{\"name\": \"v\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}]}", token),
                call(gateway, "PUT", "/admin/api/models/smart",
                        "{\"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}]}", token),
                call(gateway, "DELETE", "/admin/api/models/smart", null, token));
        for (HttpResponse<String> response : writes) {
            assertError(403, null, "insufficient_role", response);
        }
        assertEquals(2, ok(200, call("GET", "/admin/api/providers/acme", null)).path("keys").size());
        assertError(401, null, null, call(gateway, "GET", "/admin/api/providers", null, TestGateway.KEY));
    }

    @Test
    void everyWriteIsAudited() {
        createAcme();
        String keyId = ok(201, call("POST", "/admin/api/providers/acme/keys",
                "{\"key\": \"sk-acme-third-secret-000111222\", \"weight\": 2}")).path("id").asText();
        ok(200, call("PATCH", "/admin/api/providers/acme/keys/" + keyId, "{\"weight\": 3}"));
        ok(204, call("DELETE", "/admin/api/providers/acme/keys/" + keyId, null));
        ok(200, call("PUT", "/admin/api/providers/acme/models", "{\"models\": [{\"model\": \"m-a\"}]}"));
        ok(200, call("PUT", "/admin/api/providers/acme", "{\"type\": \"openai\", \"base-url\": \"" + a.baseUri()
                + "\", \"models\": [\"m-a\"]}"));
        ok(200, call("PATCH", "/admin/api/providers/acme", "{\"status\": \"disabled\"}"));
        createModel("{\"name\": \"smart\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}]}");
        ok(200, call("PUT", "/admin/api/models/smart", "{\"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\","
                + " \"weight\": 2}]}"));
        ok(204, call("DELETE", "/admin/api/models/smart", null));
        ok(204, call("DELETE", "/admin/api/providers/acme", null));

        List<String> trail = query("SELECT actor, action, resource_type, resource_id FROM audit_log ORDER BY id")
                .stream().map(row -> String.join(" ", row)).toList();
        assertEquals(List.of(
                "break-glass create provider acme",
                "break-glass create provider_key " + keyId,
                "break-glass update provider_key " + keyId,
                "break-glass delete provider_key " + keyId,
                "break-glass update provider_model acme",
                "break-glass update provider acme",
                "break-glass update provider acme",
                "break-glass create logical_model smart",
                "break-glass update logical_model smart",
                "break-glass delete logical_model smart",
                "break-glass delete provider acme"), trail);
    }

    @Test
    void replacingAProviderKeepsItsKeysUnlessNewOnesAreGiven() {
        createAcme();
        List<String> before = keyIds();
        JsonNode replaced = ok(200, call("PUT", "/admin/api/providers/acme",
                "{\"type\": \"openai\", \"base-url\": \"" + a.baseUri() + "\", \"models\": [\"m-a\"],"
                        + " \"capabilities\": {\"vision\": false}}"));
        assertEquals(before, keyIds());
        assertEquals("[\"m-a\"]", replaced.path("models").toString());
        assertFalse(replaced.path("capabilities").path("vision").asBoolean());

        ok(200, call("PUT", "/admin/api/providers/acme", "{\"type\": \"openai\", \"base-url\": \"" + a.baseUri()
                + "\", \"models\": [\"m-a\"], \"api-key\": \"sk-acme-replacement-key-42\"}"));
        List<String> after = keyIds();
        assertEquals(1, after.size());
        assertFalse(before.contains(after.getFirst()));
        createModel("{\"name\": \"smart\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}]}");
        assertEquals(200, gateway.post(CHAT, chatBody("smart", false, "")).statusCode());
        assertEquals("Bearer sk-acme-replacement-key-42", bearerOf(a.lastRequest()));

        assertError(400, "id", "invalid_value", call("PUT", "/admin/api/providers/acme",
                "{\"id\": \"other\", \"type\": \"openai\", \"base-url\": \"" + a.baseUri() + "\"}"));

        // the catalog: replaced as a whole, and what the provider serves by bare name
        JsonNode catalog = ok(200, call("PUT", "/admin/api/providers/acme/models", """
                {"models": [{"model": "m-new", "tools": false, "context_window": 8192, "input_price_per_mtok": 1,
                             "output_price_per_mtok": 4, "cached_price_per_mtok": 0.5}]}"""));
        assertEquals(1, catalog.path("data").size());
        JsonNode row = catalog.path("data").path(0);
        assertEquals("m-new", row.path("model").asText());
        assertFalse(row.path("tools").asBoolean());
        assertTrue(row.path("vision").isBoolean());
        assertEquals(8192, row.path("context_window").asInt());
        assertEquals("0.5", row.path("cached_price_per_mtok").asText());
        assertEquals(200, gateway.post(CHAT, chatBody("m-new", false, "")).statusCode());
        assertEquals("[\"m-new\"]", ok(200, call("GET", "/admin/api/providers/acme", null)).path("models").toString());
    }

    private List<String> keyIds() {
        List<String> ids = new ArrayList<>();
        ok(200, call("GET", "/admin/api/providers/acme/keys", null)).path("data")
                .forEach(key -> ids.add(key.path("id").asText()));
        return ids;
    }

    @Test
    void disablingAProviderTakesItOutOfRoutingAndEnablingPutsItBack() {
        createAcme();
        ok(201, call("POST", "/admin/api/providers", "{\"id\": \"backup\", \"type\": \"openai\", \"base-url\": \""
                + b.baseUri() + "\", \"api-key\": \"sk-backup-key-0123456789\", \"models\": [\"m-b\"]}"));
        createModel("{\"name\": \"dual\", \"strategy\": \"priority\", \"targets\": ["
                + "{\"provider\": \"acme\", \"model\": \"m-a\", \"priority\": 0},"
                + " {\"provider\": \"backup\", \"model\": \"m-b\", \"priority\": 1}]}");
        createModel("{\"name\": \"solo\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}]}");
        assertEquals("acme", provider(gateway.post(CHAT, chatBody("dual", false, ""))));

        JsonNode disabled = ok(200, call("PATCH", "/admin/api/providers/acme", "{\"status\": \"disabled\"}"));
        assertEquals("disabled", disabled.path("status").asText());
        assertFalse(disabled.path("routable").asBoolean());
        int callsBefore = a.callCount();
        assertEquals("backup", provider(gateway.post(CHAT, chatBody("dual", false, ""))));
        assertError(404, null, "model_not_found", gateway.post(CHAT, chatBody("solo", false, "")));
        assertError(404, null, "model_not_found", gateway.post(CHAT, chatBody("acme/m-a", false, "")));
        assertEquals(callsBefore, a.callCount(), "a disabled provider gets no requests");

        // a model may still be pointed at a disabled provider; it routes once the provider is back
        ok(200, call("PUT", "/admin/api/models/solo", "{\"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\","
                + " \"weight\": 2}]}"));
        ok(200, call("PATCH", "/admin/api/providers/acme", "{\"status\": \"active\"}"));
        assertEquals("acme", provider(gateway.post(CHAT, chatBody("dual", false, ""))));
        assertEquals("acme", provider(gateway.post(CHAT, chatBody("solo", false, ""))));
    }

    private static String provider(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return response.headers().firstValue("x-higress-provider").orElseThrow();
    }

    @Test
    void aDeletedOrDisabledKeyIsNoLongerUsed() {
        createAcme();
        createModel("{\"name\": \"smart\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}]}");
        JsonNode keys = ok(200, call("GET", "/admin/api/providers/acme/keys", null)).path("data");
        String first = keys.path(0).path("id").asText();
        String second = keys.path(1).path("id").asText();

        ok(204, call("DELETE", "/admin/api/providers/acme/keys/" + first, null));
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            assertEquals(200, gateway.post(CHAT, chatBody("smart", false, "")).statusCode());
            used.add(bearerOf(a.lastRequest()));
        }
        assertEquals(Set.of("Bearer " + KEY_TWO), used);

        String third = ok(201, call("POST", "/admin/api/providers/acme/keys",
                "{\"key\": \"sk-acme-third-secret-000111222\", \"weight\": 5}")).path("id").asText();
        JsonNode patched = ok(200, call("PATCH", "/admin/api/providers/acme/keys/" + second,
                "{\"status\": \"disabled\"}"));
        assertEquals("disabled", patched.path("status").asText());
        used.clear();
        for (int i = 0; i < 4; i++) {
            assertEquals(200, gateway.post(CHAT, chatBody("smart", false, "")).statusCode());
            used.add(bearerOf(a.lastRequest()));
        }
        assertEquals(Set.of("Bearer sk-acme-third-secret-000111222"), used);
        assertEquals(List.of(second, third), keyIds());
    }

    @Test
    void theLastActiveKeyOfAPresetThatNeedsOneCannotBeTakenAway() {
        JsonNode created = ok(201, call("POST", "/admin/api/providers", "{\"id\": \"oai\", \"type\": \"openai\","
                + " \"preset\": \"openai\", \"base-url\": \"" + a.baseUri() + "\", \"api-key\": \"" + KEY_ONE
                + "\", \"models\": [\"m-a\"]}"));
        String only = created.path("keys").path(0).path("id").asText();
        assertError(409, null, "conflict", call("DELETE", "/admin/api/providers/oai/keys/" + only, null));
        assertError(409, null, "conflict", call("PATCH", "/admin/api/providers/oai/keys/" + only,
                "{\"status\": \"disabled\"}"));
        ok(200, call("PATCH", "/admin/api/providers/oai/keys/" + only, "{\"weight\": 4}"));
        ok(201, call("POST", "/admin/api/providers/oai/keys", "{\"key\": \"" + KEY_TWO + "\"}"));
        ok(204, call("DELETE", "/admin/api/providers/oai/keys/" + only, null));
        assertEquals(200, gateway.post(CHAT, chatBody("oai/m-a", false, "")).statusCode());
        assertEquals("Bearer " + KEY_TWO, bearerOf(a.lastRequest()));

        // a custom provider may lose its last key: it is then called without credentials, as configured
        createAcme();
        for (String id : keyIds()) {
            ok(204, call("DELETE", "/admin/api/providers/acme/keys/" + id, null));
        }
        assertEquals(200, gateway.post(CHAT, chatBody("acme/m-a", false, "")).statusCode());
        assertEquals("", bearerOf(a.lastRequest()));
    }

    @Test
    void aChangeOnOneReplicaRoutesOnAnotherSharingTheDatabase() throws InterruptedException {
        TestGateway other = startGateway();
        assertError(404, null, "model_not_found", other.post(CHAT, chatBody("smart", false, "")));

        createAcme();
        createModel("{\"name\": \"smart\", \"targets\": [{\"provider\": \"acme\", \"model\": \"m-a\"}]}");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> response = other.post(CHAT, chatBody("smart", false, ""));
        while (response.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            response = other.post(CHAT, chatBody("smart", false, ""));
        }
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(Set.of("Bearer " + KEY_ONE, "Bearer " + KEY_TWO).contains(bearerOf(a.lastRequest())));
        // and the other replica's admin API sees the same entities
        assertEquals(2, ok(200, call(other, "GET", "/admin/api/providers/acme", null, ADMIN)).path("keys").size());

        ok(200, call(other, "PATCH", "/admin/api/providers/acme", "{\"status\": \"disabled\"}", ADMIN));
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        response = gateway.post(CHAT, chatBody("smart", false, ""));
        while (response.statusCode() != 404 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            response = gateway.post(CHAT, chatBody("smart", false, ""));
        }
        assertError(404, null, "model_not_found", response);
    }
}
