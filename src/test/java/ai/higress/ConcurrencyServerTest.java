package ai.higress;

import static ai.higress.GatewayServerTest.chatBody;
import static ai.higress.GatewayServerTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import ai.higress.testing.LocalRedis;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A provider's max-concurrency held across two gateways through a real Redis of this test's own. */
class ConcurrencyServerTest {
    private static final String CHAT = "/v1/chat/completions";

    private LocalRedis redis;
    private ScriptedUpstream scarce;
    private ScriptedUpstream spare;

    @BeforeEach
    void start() {
        redis = LocalRedis.start();
        scarce = ScriptedUpstream.start();
        spare = ScriptedUpstream.start();
        spare.otherwise(Step.json(200, OpenAiChunks.completion("m", "from spare", 3, 1)));
    }

    @AfterEach
    void stop() {
        scarce.close();
        spare.close();
        redis.close();
    }

    private String yaml() {
        return """
                providers:
                  scarce: {type: openai, base-url: "%s", api-key: "sk-scarce-0123456789", models: [m], max-concurrency: 1}
                  spare: {type: openai, base-url: "%s", api-key: "sk-spare-01234567890", models: [m]}
                models:
                  only-scarce: {targets: [{provider: scarce, model: m}]}
                  scarce-first: {strategy: priority, targets: [{provider: scarce, model: m}, {provider: spare, model: m}]}
                redis: {url: "%s"}
                """.formatted(scarce.baseUri(), spare.baseUri(), redis.url());
    }

    @Test
    void aProviderAtItsCapOnOneGatewayIsBusyOnTheOther() throws Exception {
        // the first request holds scarce's only place for as long as the upstream takes to answer
        scarce.enqueue(Step.delayed(Duration.ofSeconds(5), Step.json(200, OpenAiChunks.completion("m", "slow", 3, 1))));
        scarce.otherwise(Step.json(200, OpenAiChunks.completion("m", "from scarce", 3, 1)));
        String config = yaml();
        try (TestGateway first = TestGateway.start(config); TestGateway second = TestGateway.start(config)) {
            CompletableFuture<HttpResponse<String>> holding = CompletableFuture.supplyAsync(
                    () -> first.post(CHAT, chatBody("only-scarce", false, "")));
            assertTrue(scarce.awaitCallCount(1, Duration.ofSeconds(10)), "the first request reached scarce");

            HttpResponse<String> busy = second.post(CHAT, chatBody("only-scarce", false, ""));
            assertEquals(503, busy.statusCode(), busy.body());
            assertEquals("upstream_busy", parse(busy.body()).path("error").path("code").asText());
            assertEquals("1", busy.headers().firstValue("retry-after").orElseThrow());

            HttpResponse<String> elsewhere = second.post(CHAT, chatBody("scarce-first", false, ""));
            assertEquals(200, elsewhere.statusCode(), elsewhere.body());
            assertEquals("spare", elsewhere.headers().firstValue("x-higress-provider").orElseThrow(),
                    "the busy target is passed over for the next one");
            assertEquals(1, scarce.callCount(), "busy targets are never called");

            assertEquals(200, holding.get().statusCode());
            HttpResponse<String> freed = second.post(CHAT, chatBody("only-scarce", false, ""));
            assertEquals(200, freed.statusCode(), "the place was released when the first request ended");
            assertEquals(2, scarce.callCount());
        }
    }
}
