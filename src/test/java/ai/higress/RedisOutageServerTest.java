package ai.higress;

import static ai.higress.GatewayServerTest.chatBody;
import static ai.higress.GatewayServerTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import ai.higress.testing.LocalRedis;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis down and back, with two gateways on a Redis of this test's own: one failing open everywhere, one failing
 * closed for rate limits and concurrency caps. Each policy holds during the outage, sessions degrade without failing
 * chat requests, health stays local, nothing crashes; everything is shared again once Redis is back, including the
 * circuit that opened while it was away.
 */
class RedisOutageServerTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
    private static final String LIMITED_KEY = "sk-test-limited-key-0123456789";

    private LocalRedis redis;
    private ScriptedUpstream flaky;
    private ScriptedUpstream capped;

    @BeforeEach
    void start() {
        redis = LocalRedis.start();
        flaky = ScriptedUpstream.start();
        capped = ScriptedUpstream.start();
        flaky.otherwise(Step.json(500, OpenAiChunks.errorEnvelope("boom", "server_error", "")));
        capped.otherwise(Step.json(200, OpenAiChunks.completion("m", "fine", 3, 1)));
    }

    @AfterEach
    void stop() {
        flaky.close();
        capped.close();
        redis.close();
    }

    private String yaml(String policies) {
        return """
                providers:
                  flaky: {type: openai, base-url: "%s", api-key: "sk-flaky-0123456789", models: [m]}
                  capped: {type: openai, base-url: "%s", api-key: "sk-capped-0123456789", models: [m], max-concurrency: 5}
                models:
                  ab: {strategy: priority, targets: [{provider: flaky, model: m}, {provider: capped, model: m}]}
                  only-capped: {targets: [{provider: capped, model: m}]}
                auth:
                  api-keys: [{name: ops, key: "%s"}, {name: limited, key: "%s", rpm: 100}]
                routing:
                  health: {consecutive-failures: 2, cooldown: PT60S, min-requests: 100,
                           shared: {reconcile-interval: PT0.5S}}
                  retry: {backoff: PT0.001S, max-backoff: PT0.002S}
                admin: {token: "%s"}
                redis: {url: "%s", timeout: PT0.2S, failure-policy: {%s}}
                """.formatted(flaky.baseUri(), capped.baseUri(), TestGateway.KEY, LIMITED_KEY, ADMIN_TOKEN, redis.url(),
                policies);
    }

    private static HttpResponse<String> chat(TestGateway gateway, String key, String model, String session) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(CHAT)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chatBody(model, false, "")));
        if (!session.isEmpty()) {
            request.header("X-Session-Id", session);
        }
        return gateway.send(request.build());
    }

    private static HttpResponse<String> session(TestGateway gateway, String id) {
        return gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/sessions/" + id))
                .header("Authorization", "Bearer " + TestGateway.KEY).build());
    }

    private static String circuit(TestGateway gateway, String target) {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/admin/api/routing/health"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build());
        assertEquals(200, response.statusCode(), response.body());
        return parse(response.body()).path("targets").path(target).path("state").asText("untracked");
    }

    @Test
    void eachPolicyHoldsWhileRedisIsDownAndEverythingIsSharedAgainOnceItIsBack() throws Exception {
        try (TestGateway open = TestGateway.start(yaml(""));
             TestGateway closed = TestGateway.start(yaml("requests: fail-closed, concurrency: fail-closed"))) {
            assertEquals(200, chat(closed, TestGateway.KEY, "ab", "").statusCode(), "plans flaky/m on this gateway");
            assertEquals("closed", circuit(closed, "flaky/m"), "one failure opens nothing");

            redis.stop();
            duringTheOutage(open, closed);

            redis.restart();
            await(() -> closed.get("/health/ready").statusCode() == 200, Duration.ofSeconds(15));
            await(() -> open.get("/health/ready").body().contains("\"health_subscription\":\"live\""),
                    Duration.ofSeconds(15));
            await(() -> "open".equals(circuit(closed, "flaky/m")), Duration.ofSeconds(15));

            HttpResponse<String> limited = chat(open, LIMITED_KEY, "only-capped", "");
            assertEquals(200, limited.statusCode());
            assertTrue(limited.headers().firstValue("x-ratelimit-remaining-requests").isPresent(), "counted again");
            assertEquals(200, chat(open, TestGateway.KEY, "only-capped", "after").statusCode());
            assertEquals(200, session(closed, "after").statusCode(), "sessions are shared again");
            assertEquals(200, chat(closed, LIMITED_KEY, "only-capped", "").statusCode());
            assertEquals(200, chat(closed, TestGateway.KEY, "only-capped", "").statusCode());
        }
    }

    private void duringTheOutage(TestGateway open, TestGateway closed) {
        HttpResponse<String> admitted = chat(open, LIMITED_KEY, "only-capped", "");
        assertEquals(200, admitted.statusCode(), "fail-open admits: " + admitted.body());
        assertTrue(admitted.headers().firstValue("x-ratelimit-limit-requests").isEmpty(), "uncounted");
        HttpResponse<String> withSession = chat(open, TestGateway.KEY, "only-capped", "during");
        assertEquals(200, withSession.statusCode(), "a session store failure never fails a chat request");
        HttpResponse<String> unreadable = session(open, "during");
        assertEquals(503, unreadable.statusCode());
        assertEquals("session_store_unavailable", parse(unreadable.body()).path("error").path("code").asText());
        for (int i = 0; i < 2; i++) {
            assertEquals(200, chat(open, TestGateway.KEY, "ab", "").statusCode());
        }
        assertEquals("open", circuit(open, "flaky/m"), "health works locally");
        HttpResponse<String> ready = open.get("/health/ready");
        assertEquals(200, ready.statusCode(), "failing open, the gateway stays ready: " + ready.body());
        assertTrue(ready.body().contains("\"state\":\"unavailable\""), ready.body());

        HttpResponse<String> refused = chat(closed, LIMITED_KEY, "only-capped", "");
        assertEquals(503, refused.statusCode());
        assertEquals("rate_limiter_unavailable", parse(refused.body()).path("error").path("code").asText());
        HttpResponse<String> busy = chat(closed, TestGateway.KEY, "only-capped", "");
        assertEquals(503, busy.statusCode(), "capped providers are refused while the cap cannot be counted");
        assertEquals("upstream_busy", parse(busy.body()).path("error").path("code").asText());
        assertEquals(503, closed.get("/health/ready").statusCode(), "failing closed, Redis is needed");
        assertEquals("closed", circuit(closed, "flaky/m"), "nothing crossed without Redis");
        assertEquals(200, closed.get("/v1/models").statusCode(), "nothing crashed");
        String metrics = closed.get("/metrics").body();
        assertTrue(metrics.contains("cap=\"unavailable\""), "refusals by the unavailable cap are metered");
        assertFalse(open.get("/health/ready").body().contains("\"health_subscription\":\"live\""));
    }

    private static void await(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + within);
            Thread.sleep(50);
        }
    }
}
