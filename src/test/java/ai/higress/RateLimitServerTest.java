package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import ai.higress.testing.EmbeddedRedisServer;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-key rate limits through real gateways: shared through one real Redis, in-process without it, Redis outages. */
class RateLimitServerTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String BODY = """
            {"model":"one","messages":[{"role":"user","content":"Hi"}],"max_tokens":100}""";

    private ScriptedUpstream upstream;

    @BeforeEach
    void start() {
        upstream = ScriptedUpstream.start();
        upstream.otherwise(Step.json(200, OpenAiChunks.completion("m", "Hello", 5, 2)));
    }

    @AfterEach
    void stop() {
        EmbeddedRedisServer.restart();
        upstream.close();
    }

    private String yaml(String limits, String redis) {
        return """
                providers:
                  a: {type: openai, base-url: "%s", api-key: "sk-upstream-secret-value", models: [m]}
                models:
                  one: {targets: [{provider: a, model: m}]}
                auth:
                  api-keys: [{name: "rl-%s", key: "%s", %s}]
                %s
                """.formatted(upstream.baseUri(), UUID.randomUUID().toString().substring(0, 8), TestGateway.KEY, limits,
                redis);
    }

    private static String redis(String extra) {
        return "redis: {url: \"" + EmbeddedRedisServer.url() + "\"" + extra + "}";
    }

    @Test
    void theLimitIsGlobalAcrossTwoGatewaysSharingRedis() {
        String config = yaml("rpm: 3", redis(""));
        try (TestGateway first = TestGateway.start(config); TestGateway second = TestGateway.start(config)) {
            HttpResponse<String> a = first.post(CHAT, BODY);
            HttpResponse<String> b = second.post(CHAT, BODY);
            HttpResponse<String> c = first.post(CHAT, BODY);
            assertEquals(200, a.statusCode(), a.body());
            assertEquals(200, b.statusCode(), b.body());
            assertEquals(200, c.statusCode(), c.body());
            assertEquals("3", a.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
            assertEquals("2", a.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
            assertEquals("1", b.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
            assertEquals("0", c.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
            assertTrue(a.headers().firstValue("x-ratelimit-reset-requests").orElseThrow().matches("\\d+(\\.\\d+)?m?s|1m0s"));

            HttpResponse<String> refused = second.post(CHAT, BODY);
            assertEquals(429, refused.statusCode());
            assertTrue(refused.body().contains("\"code\":\"rate_limit_exceeded\""), refused.body());
            assertTrue(refused.body().contains("\"type\":\"rate_limit_error\""), refused.body());
            long retryAfter = Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
            assertEquals("0", refused.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
            assertEquals("3", refused.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
            assertEquals(3, upstream.callCount(), "a refusal never reaches the upstream");
        }
    }

    @Test
    void tokensAreReservedAndReconciledWithoutRedis() {
        try (TestGateway gateway = TestGateway.start(yaml("tpm: 1000", ""))) {
            // "user" + "Hi" = 6 characters -> 2 tokens, plus max_tokens 100: 102 reserved
            HttpResponse<String> first = gateway.post(CHAT, BODY);
            assertEquals(200, first.statusCode(), first.body());
            assertEquals("1000", first.headers().firstValue("x-ratelimit-limit-tokens").orElseThrow());
            assertEquals("898", first.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
            assertTrue(first.headers().firstValue("x-ratelimit-limit-requests").isEmpty(), "no rpm limit");
            // the first request used 5 + 2 = 7: the next reservation sees 1000 - 7 - 102
            HttpResponse<String> second = gateway.post(CHAT, BODY);
            assertEquals("891", second.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());

            HttpResponse<String> tooLarge = gateway.post(CHAT, """
                    {"model":"one","messages":[{"role":"user","content":"Hi"}],"max_completion_tokens":5000}""");
            assertEquals(429, tooLarge.statusCode());
            assertEquals("60", tooLarge.headers().firstValue("retry-after").orElseThrow());
            assertTrue(tooLarge.body().contains("Request too large"), tooLarge.body());
            assertEquals(2, upstream.callCount());
        }
    }

    @Test
    void failOpenServesWhileRedisIsDownAndLimitingResumesWhenItIsBack() {
        try (TestGateway gateway = TestGateway.start(yaml("rpm: 1", redis(", timeout: PT0.2S")))) {
            assertEquals(200, gateway.post(CHAT, BODY).statusCode());
            assertEquals(429, gateway.post(CHAT, BODY).statusCode());

            EmbeddedRedisServer.stop();
            HttpResponse<String> open = gateway.post(CHAT, BODY);
            assertEquals(200, open.statusCode(), open.body());
            assertTrue(open.headers().firstValue("x-ratelimit-limit-requests").isEmpty(), "nothing was counted");
            assertEquals(200, gateway.post(CHAT, BODY).statusCode());
            HttpResponse<String> ready = gateway.get("/health/ready");
            assertEquals(200, ready.statusCode(), "failing open, the gateway stays ready: " + ready.body());
            assertTrue(ready.body().contains("\"state\":\"unavailable\""), ready.body());
            HttpResponse<String> metrics = gateway.get("/metrics");
            assertTrue(metrics.body().contains("result=\"unavailable_allowed\""), "fail-open admissions are metered");
            assertTrue(metrics.body().contains("higress_redis_errors"), "Redis errors are metered");

            EmbeddedRedisServer.restart();
            assertTrue(gateway.get("/health/ready").body().contains("\"state\":\"available\""), "Redis is back");
            assertEquals(200, gateway.post(CHAT, BODY).statusCode());
            HttpResponse<String> limited = gateway.post(CHAT, BODY);
            assertEquals(429, limited.statusCode(), "limiting resumed: " + limited.body());
            assertEquals(4, upstream.callCount(), "refusals never reach the upstream");
        }
    }

    @Test
    void failClosedRefusesWith503WhileRedisIsDown() {
        String config = yaml("rpm: 5", redis(", timeout: PT0.2S, failure-policy: {requests: fail-closed}"));
        try (TestGateway gateway = TestGateway.start(config)) {
            assertEquals(200, gateway.post(CHAT, BODY).statusCode());
            EmbeddedRedisServer.stop();
            HttpResponse<String> closed = gateway.post(CHAT, BODY);
            assertEquals(503, closed.statusCode(), closed.body());
            assertTrue(closed.body().contains("\"code\":\"rate_limiter_unavailable\""), closed.body());
            assertEquals(1, upstream.callCount(), "no upstream call while limits cannot be checked");
            assertEquals(503, gateway.get("/health/ready").statusCode(), "failing closed, Redis is needed");

            EmbeddedRedisServer.restart();
            waitUntilReady(gateway);
            HttpResponse<String> back = gateway.post(CHAT, BODY);
            assertEquals(200, back.statusCode(), back.body());
            assertEquals("4", back.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow(),
                    "the restarted Redis is empty: one request counted");
        }
    }

    private static void waitUntilReady(TestGateway gateway) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (gateway.get("/health/ready").statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "Redis did not come back");
        }
    }
}
