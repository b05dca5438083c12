package ai.higress;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static ai.higress.GatewayServerTest.chatBody;
import static ai.higress.GatewayServerTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Managed client keys and admin users through the admin API, applied live, on one replica and across two. */
class AdminKeysServerTest {
    private static final String ADMIN = "admin-token-for-tests-0123456789";
    private static final String CHAT = "/v1/chat/completions";

    private final List<TestGateway> gateways = new ArrayList<>();

    private TestGateway start(String databaseName) {
        TestGateway gateway = TestGateway.start("""
                demo: {enabled: true, first-token-delay: PT0S, token-interval: PT0S}
                admin: {token: "%s"}
                control-plane: {poll-interval: PT0.2S}
                database:
                  url: "jdbc:h2:mem:%s;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1"
                """.formatted(ADMIN, databaseName));
        gateways.add(gateway);
        return gateway;
    }

    @AfterEach
    void stop() {
        gateways.forEach(TestGateway::close);
    }

    private static HttpResponse<String> admin(TestGateway gateway, String method, String path, String body,
                                              String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return gateway.send(request.build());
    }

    private static HttpResponse<String> chat(TestGateway gateway, String key, String model) {
        return gateway.send(HttpRequest.newBuilder(gateway.uri(CHAT)).header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(chatBody(model, false, ""))).build());
    }

    private static String code(HttpResponse<String> response) {
        return parse(response.body()).path("error").path("code").asText();
    }

    @Test
    void aCreatedKeyIsShownOnceAndItsSettingsApplyAtOnce() {
        TestGateway gateway = start("keys-" + UUID.randomUUID());
        HttpResponse<String> created = admin(gateway, "POST", "/admin/api/keys",
                "{\"name\":\"team-a\",\"owner\":\"alice\",\"allowed_models\":[\"demo\"]}", ADMIN);
        assertEquals(201, created.statusCode(), created.body());
        JsonNode key = parse(created.body());
        String secret = key.path("key").asText();
        String id = key.path("id").asText();
        assertTrue(secret.matches("sk-hig-[0-9A-Za-z]{43}"), secret);
        assertEquals(secret.substring(0, 11) + "…", key.path("display_prefix").asText());

        String listed = admin(gateway, "GET", "/admin/api/keys/" + id, null, ADMIN).body();
        assertFalse(listed.contains(secret), "the secret is shown only once");
        assertFalse(admin(gateway, "GET", "/admin/api/keys", null, ADMIN).body().contains(secret));

        assertEquals(200, chat(gateway, secret, "demo").statusCode());
        assertEquals("model_not_found", code(chat(gateway, secret, "demo/demo")), "not in allowed_models");
        JsonNode models = parse(gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/models"))
                .header("Authorization", "Bearer " + secret).build()).body());
        assertEquals(1, models.path("data").size(), "a key never sees models it cannot use: " + models);
        assertEquals("demo", models.path("data").path(0).path("id").asText());

        assertEquals(200, admin(gateway, "PATCH", "/admin/api/keys/" + id,
                "{\"disabled\":true,\"disabled_reason\":\"rotated\"}", ADMIN).statusCode());
        HttpResponse<String> disabled = chat(gateway, secret, "demo");
        assertEquals(403, disabled.statusCode());
        assertEquals("api_key_disabled", code(disabled));
        assertTrue(parse(disabled.body()).path("error").path("message").asText().contains("rotated"));

        assertEquals(200, admin(gateway, "PATCH", "/admin/api/keys/" + id,
                "{\"disabled\":false,\"expires_at\":\"" + Instant.now().minusSeconds(60) + "\"}", ADMIN).statusCode());
        assertEquals("api_key_expired", code(chat(gateway, secret, "demo")));

        assertEquals(204, admin(gateway, "DELETE", "/admin/api/keys/" + id, null, ADMIN).statusCode());
        assertEquals("invalid_api_key", code(chat(gateway, secret, "demo")));
        assertEquals(404, admin(gateway, "GET", "/admin/api/keys/" + id, null, ADMIN).statusCode());
    }

    @Test
    void badInputIsRefusedWithTheFieldNamed() {
        TestGateway gateway = start("validation-" + UUID.randomUUID());
        HttpResponse<String> noName = admin(gateway, "POST", "/admin/api/keys", "{\"owner\":\"x\"}", ADMIN);
        assertEquals(400, noName.statusCode());
        assertEquals("name", parse(noName.body()).path("error").path("param").asText());
        HttpResponse<String> budget = admin(gateway, "POST", "/admin/api/keys", "{\"name\":\"a\",\"budget_usd\":-1}",
                ADMIN);
        assertEquals("budget_usd", parse(budget.body()).path("error").path("param").asText());
        HttpResponse<String> expiry = admin(gateway, "POST", "/admin/api/keys",
                "{\"name\":\"a\",\"expires_at\":\"tomorrow\"}", ADMIN);
        assertEquals("expires_at", parse(expiry.body()).path("error").path("param").asText());
        assertEquals(400, admin(gateway, "POST", "/admin/api/keys", "[1,2]", ADMIN).statusCode());
        assertEquals(400, admin(gateway, "GET", "/admin/api/keys?limit=0", null, ADMIN).statusCode());
        assertEquals(401, admin(gateway, "GET", "/admin/api/keys", null, "wrong-token-0123456789abcdef").statusCode());
        assertEquals(401, admin(gateway, "GET", "/admin/api/keys", null, TestGateway.KEY).statusCode(),
                "a client key is not an admin credential");
    }

    @Test
    void keysArePaginatedWithTotals() {
        TestGateway gateway = start("pages-" + UUID.randomUUID());
        for (int i = 0; i < 5; i++) {
            assertEquals(201, admin(gateway, "POST", "/admin/api/keys", "{\"name\":\"k" + i + "\",\"owner\":\""
                    + (i % 2 == 0 ? "even" : "odd") + "\"}", ADMIN).statusCode());
        }
        JsonNode page = parse(admin(gateway, "GET", "/admin/api/keys?limit=2&offset=2", null, ADMIN).body());
        assertEquals(5, page.path("total").asInt());
        assertEquals(2, page.path("data").size());
        assertEquals(3, parse(admin(gateway, "GET", "/admin/api/keys?owner=even", null, ADMIN).body())
                .path("total").asInt());
    }

    @Test
    void adminUsersLogInAndViewersCannotChangeAnything() {
        TestGateway gateway = start("users-" + UUID.randomUUID());
        assertEquals(201, admin(gateway, "POST", "/admin/api/users",
                "{\"username\":\"vera\",\"password\":\"a-long-viewer-password\",\"role\":\"viewer\"}", ADMIN)
                .statusCode());
        assertEquals(400, admin(gateway, "POST", "/admin/api/users",
                "{\"username\":\"shorty\",\"password\":\"short\"}", ADMIN).statusCode());
        HttpResponse<String> wrong = admin(gateway, "POST", "/admin/api/login",
                "{\"username\":\"vera\",\"password\":\"not-her-password\"}", "none");
        assertEquals(401, wrong.statusCode());
        assertEquals("invalid_credentials", code(wrong));
        JsonNode login = parse(admin(gateway, "POST", "/admin/api/login",
                "{\"username\":\"vera\",\"password\":\"a-long-viewer-password\"}", "none").body());
        String session = login.path("token").asText();
        assertEquals("viewer", login.path("role").asText());

        assertEquals(200, admin(gateway, "GET", "/admin/api/keys", null, session).statusCode());
        assertEquals("viewer", parse(admin(gateway, "GET", "/admin/api/me", null, session).body()).path("role").asText());
        HttpResponse<String> refused = admin(gateway, "POST", "/admin/api/keys", "{\"name\":\"x\"}", session);
        assertEquals(403, refused.statusCode());
        assertEquals("insufficient_role", code(refused));

        assertEquals(204, admin(gateway, "POST", "/admin/api/logout", null, session).statusCode());
        assertEquals(401, admin(gateway, "GET", "/admin/api/keys", null, session).statusCode(), "logged out");
        JsonNode secret = parse(admin(gateway, "POST", "/system/secret-key/generate", null, ADMIN).body());
        assertTrue(secret.path("secret_key").asText().length() >= 64);
    }

    @Test
    void everyRequestGetsItsOwnLogRowEvenWhenTheClientReusesItsRequestId() throws InterruptedException {
        TestGateway gateway = start("ids-" + UUID.randomUUID());
        java.util.Set<String> gatewayIds = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri(CHAT))
                    .header("Authorization", "Bearer " + TestGateway.KEY).header("x-request-id", "same-id-1")
                    .POST(HttpRequest.BodyPublishers.ofString(chatBody("demo", false, ""))).build());
            assertEquals("same-id-1", response.headers().firstValue("x-request-id").orElseThrow());
            gatewayIds.add(response.headers().firstValue("x-higress-request-id").orElseThrow());
        }
        assertEquals(3, gatewayIds.size(), "the gateway's own ids are unique");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        JsonNode usage = parse(admin(gateway, "GET", "/admin/api/usage", null, ADMIN).body());
        while (usage.path("total").asInt() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            usage = parse(admin(gateway, "GET", "/admin/api/usage", null, ADMIN).body());
        }
        assertEquals(3, usage.path("total").asInt(), "one row per request: " + usage);
        java.util.Set<String> logged = new java.util.HashSet<>();
        usage.path("data").forEach(row -> logged.add(row.path("request_id").asText()));
        assertEquals(gatewayIds, logged);
    }

    @Test
    void spendChargedOnOneReplicaReachesTheOthersBudgetCheck() throws InterruptedException {
        try (ai.higress.testing.ScriptedUpstream upstream = ai.higress.testing.ScriptedUpstream.start()) {
            upstream.otherwise(ai.higress.testing.Step.json(200,
                    ai.higress.testing.OpenAiChunks.completion("m", "ok", 1000, 1000)));
            String database = "spend-" + UUID.randomUUID();
            String yaml = """
                    providers:
                      paid: {type: openai, base-url: "%s", models: [{name: m, input-price: 10, output-price: 10}]}
                    admin: {token: "%s"}
                    control-plane: {poll-interval: PT0.1S}
                    usage: {flush-interval: PT0.05S}
                    database:
                      url: "jdbc:h2:mem:%s;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1"
                    """.formatted(upstream.baseUri(), ADMIN, database);
            TestGateway a = TestGateway.start(yaml);
            gateways.add(a);
            TestGateway b = TestGateway.start(yaml);
            gateways.add(b);
            String secret = parse(admin(a, "POST", "/admin/api/keys", "{\"name\":\"capped\",\"budget_usd\":0.015}",
                    ADMIN).body()).path("key").asText();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (b.send(HttpRequest.newBuilder(b.uri("/v1/models")).header("Authorization", "Bearer " + secret)
                    .build()).statusCode() == 401 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(200, chat(a, secret, "m").statusCode(), "$0.02 spent on replica A (2,000 tokens at $10/M)");
            int status = 0;
            deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (status != 429 && System.nanoTime() < deadline) {
                status = chat(b, secret, "m").statusCode();
                Thread.sleep(100);
            }
            assertEquals(429, status, "replica B refuses the key once it learns what A charged");
        }
    }

    @Test
    void theAdminUiIsServedWithAStrictContentSecurityPolicy() {
        TestGateway gateway = start("ui-" + UUID.randomUUID());
        HttpResponse<String> page = gateway.send(HttpRequest.newBuilder(gateway.uri("/admin/")).build());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("AI-Higress Gateway"), page.body());
        assertTrue(page.headers().firstValue("content-security-policy").orElseThrow().contains("script-src 'self'"));
        HttpResponse<String> script = gateway.send(HttpRequest.newBuilder(gateway.uri("/admin/admin.js")).build());
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("content-type").orElseThrow().startsWith("text/javascript"));
        assertFalse(script.body().contains("innerHTML"), "API values are only ever inserted as text");
        HttpResponse<String> traversal = gateway.send(HttpRequest.newBuilder(gateway.uri("/admin/%2e%2e/pom.xml")).build());
        assertTrue(traversal.statusCode() == 404 || traversal.statusCode() == 401, traversal.body());
        assertFalse(traversal.body().contains("<project"));
        assertEquals(404, gateway.send(HttpRequest.newBuilder(gateway.uri("/admin/secret.key")).build()).statusCode());
    }

    @Test
    void aKeyCreatedOnOneReplicaWorksOnAnotherSharingTheDatabase() throws InterruptedException {
        String database = "replicas-" + UUID.randomUUID();
        TestGateway a = start(database);
        TestGateway b = start(database);
        String secret = parse(admin(a, "POST", "/admin/api/keys", "{\"name\":\"shared\"}", ADMIN).body())
                .path("key").asText();
        assertEquals(200, chat(a, secret, "demo").statusCode(), "at once on the replica that made the change");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && status != 200) {
            status = chat(b, secret, "demo").statusCode();
            if (status != 200) {
                Thread.sleep(100);
            }
        }
        assertEquals(200, status, "replica B picked the key up by polling the configuration version");
    }
}
