package ai.higress;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.higress.testing.Frame;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static ai.higress.GatewayServerTest.chatBody;
import static ai.higress.GatewayServerTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routing and failover over real sockets against fault-injecting upstreams, with exact upstream call counts. */
class RoutingServerTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";

    private ScriptedUpstream a;
    private ScriptedUpstream b;
    private TestGateway gateway;

    @BeforeEach
    void upstreams() {
        a = ScriptedUpstream.start();
        b = ScriptedUpstream.start();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        a.close();
        b.close();
    }

    private void start(String models, String extra) {
        gateway = TestGateway.start("""
                providers:
                  a: {type: openai, base-url: "%s", api-keys: [{key: "sk-a-key-one-0123456789"}, {key: "sk-a-key-two-0123456789"}], models: [m-a]}
                  b: {type: openai, base-url: "%s", api-key: "sk-b-key-0123456789", capabilities: {vision: false}, models: [m-b]}
                models:
                %s
                timeouts: {connect: PT1S, first-token: PT2S, idle: PT2S, request: PT5S, stream: PT5S}
                routing:
                  health: {consecutive-failures: 2, cooldown: PT30S, min-requests: 100}
                  retry: {backoff: PT0.001S, max-backoff: PT0.002S}
                admin: {token: "%s"}
                %s
                """.formatted(a.baseUri(), b.baseUri(), models.indent(2), ADMIN_TOKEN, extra));
    }

    private static String ok(String model) {
        return OpenAiChunks.completion(model, "fine", 3, 1);
    }

    @Test
    void failingTargetOpensItsCircuitAndIsThenSkipped() {
        start("ab: {strategy: priority, targets: [{provider: a, model: m-a}, {provider: b, model: m-b}]}", "");
        a.otherwise(Step.json(500, OpenAiChunks.errorEnvelope("boom", "server_error", "")));
        b.otherwise(Step.json(200, ok("m-b")));

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = gateway.post(CHAT, chatBody("ab", false, ""));
            assertEquals(200, response.statusCode());
            assertEquals("b", response.headers().firstValue("x-higress-provider").orElseThrow());
        }
        assertEquals(2, a.callCount(), "two consecutive failures open the circuit; later requests skip a");
        assertEquals(5, b.callCount());
        JsonNode health = adminGet("/admin/api/routing/health").path("targets");
        assertEquals("open", health.path("a/m-a").path("state").asText());
        assertEquals("closed", health.path("b/m-b").path("state").asText());
        String metrics = gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics")).build()).body();
        assertTrue(metrics.contains("higress_circuit_state{scope=\"application\",target=\"a/m-a\",} 2.0"), metrics);
        assertTrue(metrics.contains("higress_failovers_total{model=\"ab\""), metrics);
    }

    @Test
    void afterTheCooldownTheNextRequestProbesTheTargetAndARecoveryClosesItsCircuit() throws InterruptedException {
        start("ab: {targets: [{provider: a, model: m-a}, {provider: b, model: m-b}]}",
                "routing: {health: {consecutive-failures: 2, min-requests: 2, cooldown: PT0.3S, jitter: 0.0}}");
        a.enqueue(Step.json(500, OpenAiChunks.errorEnvelope("boom", "server_error", "")));
        a.enqueue(Step.json(500, OpenAiChunks.errorEnvelope("boom", "server_error", "")));
        a.otherwise(Step.json(200, ok("m-a")));
        b.otherwise(Step.json(200, ok("m-b")));
        while (a.callCount() < 2) {
            assertEquals(200, gateway.post(CHAT, chatBody("ab", false, "")).statusCode());
        }
        assertEquals("open", adminGet("/admin/api/routing/health").path("targets").path("a/m-a").path("state")
                .asText());
        Thread.sleep(400);
        JsonNode plan = adminGet("/admin/api/routing/plan?model=ab");
        assertEquals("planned #1 (half-open probe)", plan.path("targets").path(0).path("verdict").asText(),
                plan.toString());

        HttpResponse<String> probe = gateway.post(CHAT, chatBody("ab", false, ""));

        assertEquals("a", probe.headers().firstValue("x-higress-provider").orElseThrow(),
                "the half-open target is probed even though its error ratio makes its weight 0");
        assertEquals("closed", adminGet("/admin/api/routing/health").path("targets").path("a/m-a").path("state")
                .asText());
    }

    @Test
    void rateLimitedKeyIsCooledWhileTheProvidersOtherKeyServes() {
        start("only-a: {targets: [{provider: a, model: m-a}]}", "");
        a.enqueue(Step.json(429, OpenAiChunks.errorEnvelope("slow down", "requests", "rate_limit_exceeded"),
                Map.of("retry-after", "30")));
        a.otherwise(Step.json(200, ok("m-a")));

        for (int i = 0; i < 6; i++) {
            assertEquals(200, gateway.post(CHAT, chatBody("only-a", false, "")).statusCode());
        }
        String limitedKey = a.requests().getFirst().header("authorization").orElseThrow();
        long laterUses = a.requests().stream().skip(1)
                .filter(request -> request.header("authorization").orElseThrow().equals(limitedKey)).count();
        assertEquals(0, laterUses, "the rate-limited key is not used again during its Retry-After");
        assertEquals(7, a.callCount(), "one 429, then every request served by the other key");
        JsonNode keys = adminGet("/admin/api/routing/health").path("keys");
        assertTrue(keys.toString().contains("\"state\":\"open\""), keys.toString());
        assertTrue(keys.toString().contains("rate limited"), keys.toString());
    }

    @Test
    void clientErrorsNeverCountAgainstAProvider() {
        start("only-b: {targets: [{provider: b, model: m-b}]}", "");
        b.otherwise(Step.json(400, OpenAiChunks.errorEnvelope("bad", "invalid_request_error", "invalid_value")));

        for (int i = 0; i < 5; i++) {
            assertEquals(400, gateway.post(CHAT, chatBody("only-b", false, "")).statusCode());
        }
        assertEquals(5, b.callCount(), "each 400 is returned at once, never retried");
        JsonNode health = adminGet("/admin/api/routing/health").path("targets").path("b/m-b");
        assertEquals("closed", health.path("state").asText());
        assertEquals(0, health.path("window_failures").asInt());
    }

    @Test
    void lowerTiersServeOnlyWhenTheFirstTierFails() {
        start("tiers: {targets: [{provider: a, model: m-a, priority: 0, weight: 1}, "
                + "{provider: b, model: m-b, priority: 1, weight: 1000}]}", "");
        a.otherwise(Step.json(200, ok("m-a")));
        b.otherwise(Step.json(200, ok("m-b")));
        for (int i = 0; i < 10; i++) {
            assertEquals("a", gateway.post(CHAT, chatBody("tiers", false, "")).headers()
                    .firstValue("x-higress-provider").orElseThrow());
        }
        assertEquals(0, b.callCount());
        a.otherwise(Step.reset());
        assertEquals("b", gateway.post(CHAT, chatBody("tiers", false, "")).headers()
                .firstValue("x-higress-provider").orElseThrow());
    }

    @Test
    void aHedgeWinsAgainstASilentFirstAttemptWhichIsCancelled() {
        start("hedged: {strategy: priority, hedge: {after: PT0.1S, max-ratio: 1.0}, "
                + "targets: [{provider: a, model: m-a}, {provider: b, model: m-b}]}", "");
        a.enqueue(Step.sse(List.of(Frame.stall(Duration.ofSeconds(3)), Frame.data(OpenAiChunks.roleChunk("m-a")),
                Frame.done())));
        b.enqueue(Step.sse(OpenAiChunks.streamOf("m-b", List.of("hedged"), false)));

        TestGateway.StreamedResponse stream = gateway.stream(chatBody("hedged", true, ""));

        assertEquals(200, stream.status());
        assertEquals("b", stream.response().headers().firstValue("x-higress-provider").orElseThrow());
        assertTrue(stream.data().contains("[DONE]"));
        assertTrue(a.awaitStreamAbandoned(Duration.ofSeconds(2)), "the losing attempt is cancelled at once");
        assertEquals(1, a.callCount());
        assertEquals(1, b.callCount());
        String metrics = gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics")).build()).body();
        assertTrue(metrics.contains("higress_hedges_total{model=\"hedged\""), metrics);
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("higress_upstream_attempts_total")
                && line.contains("model=\"hedged\"") && line.contains("outcome=\"cancelled\"")
                && line.contains("provider=\"a\"")), "the first attempt was cancelled, not timed out: " + metrics);
    }

    @Test
    void aSpentRetryBudgetReturnsTheFailureWithoutAmplifyingIt() {
        start("ab: {strategy: priority, targets: [{provider: a, model: m-a}, {provider: b, model: m-b}]}",
                "routing: {retry: {budget-ratio: 0.0, budget-min-per-second: 0}}");
        a.otherwise(Step.json(503, OpenAiChunks.errorEnvelope("busy", "server_error", "")));
        b.otherwise(Step.json(200, ok("m-b")));

        HttpResponse<String> response = gateway.post(CHAT, chatBody("ab", false, ""));

        assertEquals(503, response.statusCode());
        assertEquals(0, b.callCount(), "no retry was allowed");
        String metrics = gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics")).build()).body();
        assertTrue(metrics.contains("higress_retries_denied_total{model=\"ab\""), metrics);
    }

    @Test
    void targetsLackingACapabilityAreSkippedAndExplained() {
        start("vision: {strategy: priority, targets: [{provider: b, model: m-b}, {provider: a, model: m-a}]}", "");
        a.otherwise(Step.json(200, ok("m-a")));
        String image = ",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"https://example.com/cat.png\"}}]}]";
        HttpResponse<String> response = gateway.post(CHAT, "{\"model\":\"vision\"" + image + "}");

        assertEquals(200, response.statusCode());
        assertEquals("a", response.headers().firstValue("x-higress-provider").orElseThrow());
        assertEquals(0, b.callCount());
        JsonNode plan = adminGet("/admin/api/routing/plan?model=vision&vision=true");
        assertEquals("skipped: lacks vision", plan.path("targets").path(0).path("verdict").asText());
        assertEquals("planned #1", plan.path("targets").path(1).path("verdict").asText());
        assertEquals("priority", plan.path("strategy").asText());
        assertEquals(0, a.callCount() - 1, "the dry run called no upstream");
    }

    @Test
    void fallbackModelsServeWhenTheModelsOwnTargetsFail() {
        start("""
                main: {targets: [{provider: a, model: m-a}], fallbacks: [backup]}
                backup: {targets: [{provider: b, model: m-b}]}""", "limits: {max-attempts: 2}");
        a.otherwise(Step.json(502, OpenAiChunks.errorEnvelope("bad gateway", "server_error", "")));
        b.otherwise(Step.json(200, ok("m-b")));

        HttpResponse<String> response = gateway.post(CHAT, chatBody("main", false, ""));

        assertEquals(200, response.statusCode());
        assertEquals("b", response.headers().firstValue("x-higress-provider").orElseThrow());
        assertEquals("2", response.headers().firstValue("x-higress-attempts").orElseThrow());
    }

    @Test
    void theAdminApiNeedsItsToken() {
        start("only-a: {targets: [{provider: a, model: m-a}]}", "");
        HttpResponse<String> anonymous = gateway.send(HttpRequest.newBuilder(
                gateway.uri("/admin/api/routing/plan?model=only-a")).build());
        assertEquals(401, anonymous.statusCode());
        HttpResponse<String> clientKey = gateway.get("/admin/api/routing/plan?model=only-a");
        assertEquals(401, clientKey.statusCode(), "a client key is not an admin token");
        assertEquals(404, gateway.send(HttpRequest.newBuilder(gateway.uri("/admin/api/routing/plan?model=nope"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build()).statusCode());
    }

    private JsonNode adminGet(String path) {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri(path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build());
        assertEquals(200, response.statusCode(), response.body());
        return parse(response.body());
    }
}
