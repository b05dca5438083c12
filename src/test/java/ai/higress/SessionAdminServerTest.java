package ai.higress;

import static ai.higress.GatewayServerTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import ai.higress.testing.LocalRedis;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.RedisClient;

/**
 * The admin listing of recent sessions, the per-key session-text setting, and session expiry, in process and on a real
 * Redis of this test's own.
 */
class SessionAdminServerTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
    private static final String OTHER_KEY = "sk-test-other-key-9876543210";

    private LocalRedis redis;
    private ScriptedUpstream upstream;

    @BeforeEach
    void start() {
        redis = LocalRedis.start();
        upstream = ScriptedUpstream.start();
        upstream.otherwise(Step.json(200, OpenAiChunks.completion("m", "the secret answer", 5, 3)));
    }

    @AfterEach
    void stop() {
        upstream.close();
        redis.close();
    }

    private String yaml(boolean shared, String sessions, String testKeyExtra) {
        return """
                providers:
                  p: {type: openai, base-url: "%s", api-key: "sk-upstream-secret-value", models: [m]}
                models:
                  chat: {targets: [{provider: p, model: m}]}
                auth:
                  api-keys: [{name: "ops", key: "%s"%s}, {name: "other", key: "%s"}]
                sessions: {%s}
                admin: {token: "%s"}
                %s
                """.formatted(upstream.baseUri(), TestGateway.KEY, testKeyExtra, OTHER_KEY, sessions, ADMIN_TOKEN,
                shared ? "redis: {url: \"" + redis.url() + "\"}" : "");
    }

    private static HttpResponse<String> chat(TestGateway gateway, String key, String session, String text) {
        return gateway.send(HttpRequest.newBuilder(gateway.uri(CHAT)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").header("X-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model":"chat","messages":[{"role":"user","content":"%s"}]}""".formatted(text))).build());
    }

    private static HttpResponse<String> admin(TestGateway gateway, String method, String path, String body) {
        return gateway.send(HttpRequest.newBuilder(gateway.uri(path)).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode list(TestGateway gateway, String query) {
        HttpResponse<String> response = admin(gateway, "GET", "/admin/api/sessions" + query, "");
        assertEquals(200, response.statusCode(), response.body());
        return parse(response.body());
    }

    private static JsonNode snippet(TestGateway gateway, String key, String session) {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/sessions/" + session))
                .header("Authorization", "Bearer " + key).build());
        assertEquals(200, response.statusCode(), response.body());
        return parse(response.body()).path("snippets").get(0);
    }

    @ParameterizedTest(name = "redis={0}")
    @ValueSource(booleans = {false, true})
    void recentSessionsAreListedNewestFirstByPagesAndByKeyWithoutText(boolean shared) throws Exception {
        try (TestGateway gateway = TestGateway.start(yaml(shared, "", ""))) {
            for (int i = 0; i < 5; i++) {
                assertEquals(200, chat(gateway, TestGateway.KEY, "ops-" + i, "question " + i).statusCode());
                Thread.sleep(2); // distinct write times, so "newest first" has one answer
            }
            assertEquals(200, chat(gateway, TestGateway.KEY, "ops-0", "again").statusCode());
            assertEquals(200, chat(gateway, OTHER_KEY, "theirs", "hello").statusCode());

            JsonNode all = list(gateway, "");
            List<String> ids = new ArrayList<>();
            all.path("data").forEach(session -> ids.add(session.path("id").asText()));
            assertEquals(List.of("theirs", "ops-0", "ops-4", "ops-3", "ops-2", "ops-1"), ids, all.toString());
            JsonNode first = all.path("data").get(1);
            assertEquals("config:ops", first.path("key_id").asText());
            assertEquals("ops", first.path("key_name").asText());
            assertEquals(2, first.path("turns").asInt());
            assertEquals("p", first.path("sticky").path("provider").asText());
            assertEquals("m", first.path("sticky").path("model").asText());
            assertTrue(first.path("ttl_seconds").asLong() > 3500);
            assertFalse(all.toString().contains("secret") || all.toString().contains("question"), "never text");
            assertTrue(all.path("next_cursor").isNull());

            Set<String> paged = new HashSet<>();
            String query = "?key_id=config:ops&limit=2";
            int pages = 0;
            while (true) {
                JsonNode page = list(gateway, query);
                page.path("data").forEach(session -> assertTrue(paged.add(session.path("id").asText()), "no repeats"));
                pages++;
                if (page.path("next_cursor").isNull()) {
                    break;
                }
                query = "?key_id=config:ops&limit=2&cursor=" + page.path("next_cursor").asText();
            }
            assertEquals(Set.of("ops-0", "ops-1", "ops-2", "ops-3", "ops-4"), paged);
            assertEquals(3, pages);

            assertEquals(204, gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/sessions/ops-4"))
                    .header("Authorization", "Bearer " + TestGateway.KEY).DELETE().build()).statusCode());
            assertFalse(list(gateway, "").toString().contains("\"ops-4\""), "a deleted session is not listed");
            assertEquals(400, admin(gateway, "GET", "/admin/api/sessions?cursor=nonsense", "").statusCode());
            assertEquals(401, gateway.get("/admin/api/sessions").statusCode(), "client keys cannot list sessions");
        }
    }

    @Test
    void aStaticKeysSessionTextSettingOverridesTheGlobalOne() {
        try (TestGateway gateway = TestGateway.start(yaml(true, "store-text: false", ", session-text: store"))) {
            assertEquals(200, chat(gateway, TestGateway.KEY, "kept", "my question").statusCode());
            assertEquals(200, chat(gateway, OTHER_KEY, "omitted", "my question").statusCode());
            JsonNode kept = snippet(gateway, TestGateway.KEY, "kept");
            assertEquals("my question", kept.path("user").asText(), kept.toString());
            assertEquals("the secret answer", kept.path("assistant").asText());
            JsonNode omitted = snippet(gateway, OTHER_KEY, "omitted");
            assertFalse(omitted.has("user") || omitted.has("assistant"), "the global store-text: false holds");
        }
    }

    @Test
    void aManagedKeysSessionTextIsSetThroughTheAdminApi() {
        try (TestGateway gateway = TestGateway.start(yaml(false, "", ""))) {
            HttpResponse<String> created = admin(gateway, "POST", "/admin/api/keys",
                    "{\"name\":\"private\",\"session_text\":\"omit\"}");
            assertEquals(201, created.statusCode(), created.body());
            JsonNode key = parse(created.body());
            assertEquals("omit", key.path("session_text").asText());
            String secret = key.path("key").asText();

            assertEquals(200, chat(gateway, secret, "quiet", "do not keep this").statusCode());
            JsonNode quiet = snippet(gateway, secret, "quiet");
            assertFalse(quiet.has("user") || quiet.has("assistant"), quiet.toString());
            assertEquals(5, quiet.path("prompt_tokens").asInt(), "metadata is kept");

            String path = "/admin/api/keys/" + key.path("id").asText();
            HttpResponse<String> bad = admin(gateway, "PATCH", path, "{\"session_text\":\"sometimes\"}");
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("session_text"), bad.body());
            HttpResponse<String> reset = admin(gateway, "PATCH", path, "{\"session_text\":\"default\"}");
            assertEquals("default", parse(reset.body()).path("session_text").asText());
            awaitStored(gateway, secret);
        }
    }

    /** The change reaches the key's callers once the control plane applied it (at once on this replica). */
    private static void awaitStored(TestGateway gateway, String secret) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (int i = 0; ; i++) {
            String session = "kept-" + i;
            assertEquals(200, chat(gateway, secret, session, "keep this").statusCode());
            if (snippet(gateway, secret, session).has("user")) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "session_text: default never applied");
        }
    }

    @Test
    void anIdleSessionExpiresInRedisAndLeavesTheListing() throws Exception {
        try (TestGateway gateway = TestGateway.start(yaml(true, "ttl: PT1S", ""));
             RedisClient inspector = RedisClient.create(redis.url())) {
            assertEquals(200, chat(gateway, TestGateway.KEY, "brief", "hi").statusCode());
            assertEquals(1, list(gateway, "").path("data").size());
            String base = "higress:session:{config:ops}:brief:";
            assertTrue(inspector.exists(base + "turns") && inspector.exists(base + "meta"));
            assertTrue(inspector.pttl(base + "turns") <= 1000, "the TTL is the configured one");

            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (inspector.exists(base + "turns") || inspector.exists(base + "meta")) {
                assertTrue(System.nanoTime() < deadline, "the session never expired");
                Thread.sleep(100);
            }
            HttpResponse<String> gone = gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/sessions/brief"))
                    .header("Authorization", "Bearer " + TestGateway.KEY).build());
            assertEquals(404, gone.statusCode(), gone.body());
            assertEquals(0, list(gateway, "").path("data").size(), "an expired session is not listed");
            // the indexes expire with the last session written into them: nothing of the session is left behind
            while (inspector.exists("higress:session:{config:ops}:recent") || inspector.exists(
                    "higress:sessions:recent")) {
                assertTrue(System.nanoTime() < deadline, "an index outlived its sessions");
                Thread.sleep(100);
            }
        }
    }
}
