package ai.higress;

import static ai.higress.GatewayServerTest.chatBody;
import static ai.higress.GatewayServerTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import ai.higress.testing.EmbeddedRedisServer;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Two gateways sharing one real Redis: a circuit opened by one is skipped by the other without calling it. */
class SharedHealthServerTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";

    private ScriptedUpstream failing;
    private ScriptedUpstream healthy;
    // provider ids unique to this run: the Redis keys never meet another test's targets
    private final String bad = "bad" + UUID.randomUUID().toString().substring(0, 8);
    private final String good = "good" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void start() {
        failing = ScriptedUpstream.start();
        healthy = ScriptedUpstream.start();
        failing.otherwise(Step.json(500, OpenAiChunks.errorEnvelope("boom", "server_error", "")));
        healthy.otherwise(Step.json(200, OpenAiChunks.completion("m-b", "fine", 3, 1)));
    }

    @AfterEach
    void stop() {
        try (RedisClient redis = RedisClient.create(URI.create(EmbeddedRedisServer.url()))) {
            redis.del(ai.higress.redis.SharedHealth.key(ai.higress.routing.HealthSharing.Scope.TARGET, bad + "/m-a"));
        }
        failing.close();
        healthy.close();
    }

    private String yaml() {
        return """
                providers:
                  %s: {type: openai, base-url: "%s", api-key: "sk-a-key-0123456789", models: [m-a]}
                  %s: {type: openai, base-url: "%s", api-key: "sk-b-key-0123456789", models: [m-b]}
                models:
                  ab: {strategy: priority, targets: [{provider: %s, model: m-a}, {provider: %s, model: m-b}]}
                routing:
                  health: {consecutive-failures: 2, cooldown: PT30S, min-requests: 100, shared: {reconcile-interval: PT1S}}
                  retry: {backoff: PT0.001S, max-backoff: PT0.002S}
                admin: {token: "%s"}
                redis: {url: "%s"}
                """.formatted(bad, failing.baseUri(), good, healthy.baseUri(), bad, good, ADMIN_TOKEN,
                EmbeddedRedisServer.url());
    }

    @Test
    void aCircuitOpenedByOneGatewayIsSkippedByTheOther() throws InterruptedException {
        String config = yaml();
        String label = bad + "/m-a";
        try (TestGateway first = TestGateway.start(config); TestGateway second = TestGateway.start(config)) {
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> response = first.post(CHAT, chatBody("ab", false, ""));
                assertEquals(200, response.statusCode(), response.body());
            }
            assertEquals(2, failing.callCount(), "two consecutive failures open the circuit on the first gateway");
            JsonNode local = health(first).path(label);
            assertEquals("open", local.path("state").asText());

            // publication takes milliseconds; the generous bound only keeps a loaded CI machine from failing it
            long deadline = System.nanoTime() + 10_000_000_000L;
            JsonNode remote = health(second).path(label);
            while (!remote.path("state").asText().equals("open") && System.nanoTime() < deadline) {
                Thread.sleep(20);
                remote = health(second).path(label);
            }
            assertEquals("open", remote.path("state").asText(), "the second gateway learned it: " + remote);
            assertEquals(local.path("reason").asText(), remote.path("reason").asText());
            assertEquals("2 consecutive failures (server)", remote.path("reason").asText());
            // the remote copy keeps the opener's deadline rather than starting its own full cooldown; wall-clock
            // bounds only, because a slow machine may spend seconds between the two reads
            long remoteCooldown = remote.path("cooldown_ms").asLong();
            assertTrue(remoteCooldown > 0 && remoteCooldown <= local.path("cooldown_ms").asLong() + 50,
                    "remote " + remote + " vs local " + local);

            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = second.post(CHAT, chatBody("ab", false, ""));
                assertEquals(200, response.statusCode(), response.body());
                assertEquals(good, response.headers().firstValue("x-higress-provider").orElseThrow());
            }
            assertEquals(2, failing.callCount(), "the second gateway skipped the open target without calling it");
            assertEquals(5, healthy.callCount());
        }
    }

    private static JsonNode health(TestGateway gateway) {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/admin/api/routing/health"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build());
        assertEquals(200, response.statusCode(), response.body());
        return parse(response.body()).path("targets");
    }
}
