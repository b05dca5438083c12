package ai.higress;

import static ai.higress.GatewayServerTest.chatBody;
import static ai.higress.GatewayServerTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import ai.higress.testing.LocalRedisCluster;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Two gateways on a real three-node Redis Cluster of this test's own: rate limits, sessions and their listing, shared
 * health, the model catalog cache and the concurrency caps all run their scripts on the cluster.
 */
class RedisClusterServerTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
    private static final String LIMITED_KEY = "sk-test-limited-key-0123456789";
    private static final String LIST = """
            {"object": "list", "data": [{"id": "listed-1", "object": "model"}]}""";

    private static LocalRedisCluster cluster;
    private ScriptedUpstream flaky;
    private ScriptedUpstream good;
    private ScriptedUpstream lister;

    @BeforeAll
    static void startCluster() {
        cluster = LocalRedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void start() {
        flaky = ScriptedUpstream.start();
        good = ScriptedUpstream.start();
        lister = ScriptedUpstream.start();
        flaky.otherwise(Step.json(500, OpenAiChunks.errorEnvelope("boom", "server_error", "")));
        good.otherwise(Step.json(200, OpenAiChunks.completion("m", "fine", 3, 1)));
        lister.otherwise(Step.json(200, LIST));
    }

    @AfterEach
    void stop() {
        flaky.close();
        good.close();
        lister.close();
    }

    private String yaml() {
        return """
                providers:
                  flaky: {type: openai, base-url: "%s", api-key: "sk-flaky-0123456789", models: [m], discover-models: false}
                  good: {type: openai, base-url: "%s", api-key: "sk-good-01234567890", models: [m], discover-models: false,
                         max-concurrency: 5}
                  lister: {type: openai, base-url: "%s", api-key: "sk-lister-0123456789", models: [l]}
                models:
                  ab: {strategy: priority, targets: [{provider: flaky, model: m}, {provider: good, model: m}]}
                auth:
                  api-keys: [{name: ops, key: "%s"}, {name: limited, key: "%s", rpm: 2}]
                routing:
                  # no reconcile during the test: the open can only cross by pub/sub through the cluster
                  health: {consecutive-failures: 2, cooldown: PT60S, min-requests: 100,
                           shared: {reconcile-interval: PT60S, close-marker-ttl: PT120S}}
                  retry: {backoff: PT0.001S, max-backoff: PT0.002S}
                catalog: {discover: true, refresh-interval: PT1H}
                admin: {token: "%s"}
                redis:
                  mode: cluster
                  cluster: {nodes: %s}
                """.formatted(flaky.baseUri(), good.baseUri(), lister.baseUri(), TestGateway.KEY, LIMITED_KEY,
                ADMIN_TOKEN, cluster.nodes().stream().map(node -> "\"" + node + "\"").toList());
    }

    private static HttpResponse<String> chat(TestGateway gateway, String key, String session) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(CHAT)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chatBody("ab", false, "")));
        if (!session.isEmpty()) {
            request.header("X-Session-Id", session);
        }
        return gateway.send(request.build());
    }

    private static JsonNode admin(TestGateway gateway, String path) {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri(path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build());
        assertEquals(200, response.statusCode(), response.body());
        return parse(response.body());
    }

    @Test
    void everyPieceOfSharedStateWorksAcrossTwoGatewaysOnTheCluster() throws Exception {
        String config = yaml();
        try (TestGateway first = TestGateway.start(config)) {
            assertTrue(lister.awaitCallCount(1, Duration.ofSeconds(10)), "the first gateway fetched the list");
            await(() -> first.get("/v1/models").body().contains("lister/listed-1"), Duration.ofSeconds(5));
            try (TestGateway second = TestGateway.start(config)) {
                catalog(second);
                health(first, second);
                sessions(first, second);
                rateLimits(first, second);
                HttpResponse<String> ready = second.get("/health/ready");
                assertEquals(200, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("\"mode\":\"cluster\""), ready.body());
                assertTrue(ready.body().contains("\"health_subscription\":\"live\""), ready.body());
            }
        }
        try (Jedis node = cluster.nodeOwning("higress:conc:{good}")) {
            assertEquals(0, node.zcard("higress:conc:{good}"), "every lease on good was released");
        }
        assertTrue(cluster.nodesHoldingKeys() >= 2, "the state is spread over the cluster's nodes");
    }

    private void catalog(TestGateway second) {
        assertTrue(second.get("/v1/models").body().contains("lister/listed-1"), "read from the cluster's cache");
        assertEquals(1, lister.callCount(), "the second gateway used the shared copy instead of fetching");
    }

    private void health(TestGateway first, TestGateway second) throws Exception {
        await(() -> second.get("/health/ready").body().contains("\"health_subscription\":\"live\""),
                Duration.ofSeconds(10));
        for (int i = 0; i < 2; i++) {
            assertEquals(200, chat(first, TestGateway.KEY, "").statusCode());
        }
        assertEquals(2, flaky.callCount(), "two failures opened flaky's circuit on the first gateway");
        await(() -> "open".equals(admin(second, "/admin/api/routing/health").path("targets").path("flaky/m")
                .path("state").asText()), Duration.ofSeconds(5));
        HttpResponse<String> skipped = chat(second, TestGateway.KEY, "");
        assertEquals("good", skipped.headers().firstValue("x-higress-provider").orElseThrow());
        assertEquals(2, flaky.callCount(), "the second gateway skipped the open circuit");
    }

    private void sessions(TestGateway first, TestGateway second) {
        assertEquals(200, chat(first, TestGateway.KEY, "on-cluster").statusCode());
        HttpResponse<String> view = second.send(HttpRequest.newBuilder(second.uri("/v1/sessions/on-cluster"))
                .header("Authorization", "Bearer " + TestGateway.KEY).build());
        assertEquals(200, view.statusCode(), view.body());
        assertEquals("good", parse(view.body()).path("sticky").path("provider").asText());
        JsonNode listed = admin(second, "/admin/api/sessions");
        assertEquals("on-cluster", listed.path("data").get(0).path("id").asText(), listed.toString());
        JsonNode mine = admin(second, "/admin/api/sessions?key_id=config:ops");
        assertEquals(1, mine.path("data").size(), mine.toString());
    }

    private void rateLimits(TestGateway first, TestGateway second) {
        assertEquals(200, chat(first, LIMITED_KEY, "").statusCode());
        assertEquals(200, chat(second, LIMITED_KEY, "").statusCode());
        HttpResponse<String> refused = chat(first, LIMITED_KEY, "");
        assertEquals(429, refused.statusCode(), "rpm 2 counted across both gateways: " + refused.body());
    }

    private static void await(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + within);
            Thread.sleep(20);
        }
    }
}
