package ai.higress;

import static ai.higress.GatewayServerTest.chatBody;
import static ai.higress.GatewayServerTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.higress.testing.Frame;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.OpenAiSchema;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real gateway errors, one per way a failure reaches a client of an OpenAI API, each checked against the official
 * {@code ErrorResponse} schema: the key filter, Helidon's own HTTP errors, request validation, routing, the gateway's
 * rate limit, classified upstream failures, and the in-stream error event after a stream's commit point.
 */
class OpenAiErrorSchemaServerTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";

    private ScriptedUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        upstream = ScriptedUpstream.start();
        gateway = TestGateway.start("""
                providers:
                  a: {type: openai, base-url: "%s", api-key: "sk-upstream-a-secret-value",
                      models: [m, {name: e, embeddings: true}]}
                models:
                  one: {targets: [{provider: a, model: m}]}
                  embed: {targets: [{provider: a, model: e}]}
                timeouts: {connect: PT1S, first-token: PT0.4S, idle: PT0.4S, request: PT1S, stream: PT5S}
                limits: {max-request-bytes: 4096, max-attempts: 1}
                admin: {token: "%s"}
                """.formatted(upstream.baseUri(), ADMIN_TOKEN));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void errorsRaisedBeforeAnyUpstreamIsCalled() {
        HttpRequest noKey = HttpRequest.newBuilder(gateway.uri(CHAT))
                .POST(HttpRequest.BodyPublishers.ofString(chatBody("one", false, ""))).build();
        assertError(gateway.send(noKey), 401, "invalid_api_key");
        assertError(gateway.post(CHAT, chatBody("one", false, "").replace("Hi", "x".repeat(5000))), 413,
                "request_too_large");
        assertError(gateway.get(CHAT), 405, "method_not_allowed");
        assertError(gateway.get("/v1/nothing-here"), 404, "not_found");
        assertError(gateway.post(CHAT, "{\"model\": one"), 400, null);
        assertError(gateway.post(CHAT, chatBody("no-such-model", false, "")), 404, "model_not_found");
        assertError(gateway.post(CHAT, "{\"model\":\"one\",\"messages\":[],\"n\":\"two\"}"), 400, "invalid_type");
        assertError(gateway.post("/v1/embeddings", "{\"model\":\"embed\",\"input\":[]}"), 400, "empty_array");
        assertError(gateway.post("/v1/responses", "{\"model\":\"one\"}"), 400, "missing_required_parameter");
        assertError(gateway.get("/v1/models/unknown"), 404, "model_not_found");
        assertError(gateway.send(HttpRequest.newBuilder(gateway.uri("/admin/api/keys"))
                .header("Authorization", "Bearer not-the-admin-token").GET().build()), 401, "invalid_api_key");
        assertEquals(0, upstream.callCount());
    }

    @Test
    void theGatewaysOwnRateLimit() {
        try (TestGateway limited = TestGateway.start("""
                providers:
                  a: {type: openai, base-url: "%s", api-key: "sk-upstream-a-secret-value", models: [m]}
                auth:
                  api-keys: [{name: limited, key: "%s", rpm: 1}]
                """.formatted(upstream.baseUri(), TestGateway.KEY))) {
            upstream.otherwise(Step.json(200, OpenAiChunks.completion("m", "Hello", 5, 2)));
            assertEquals(200, limited.post(CHAT, chatBody("a/m", false, "")).statusCode());
            HttpResponse<String> refused = limited.post(CHAT, chatBody("a/m", false, ""));
            assertError(refused, 429, "rate_limit_exceeded");
            assertTrue(refused.headers().firstValue("retry-after").isPresent());
        }
    }

    @Test
    void classifiedUpstreamFailures() {
        upstream.enqueue(Step.json(400, OpenAiChunks.errorEnvelope(
                "Unsupported parameter: 'max_tokens'", "invalid_request_error", "unsupported_parameter")));
        assertError(gateway.post(CHAT, chatBody("one", false, "")), 400, "unsupported_parameter");
        upstream.enqueue(Step.json(400, "{\"error\":{}}"));
        assertError(gateway.post(CHAT, chatBody("one", false, "")), 400, null);
        upstream.enqueue(Step.json(429, "{}", Map.of("retry-after", "7")));
        assertError(gateway.post(CHAT, chatBody("one", false, "")), 429, null);
        upstream.enqueue(Step.html(502, "<html><body><h1>502 Bad Gateway</h1></body></html>"));
        assertError(gateway.post(CHAT, chatBody("one", false, "")), 502, null);
        upstream.enqueue(Step.reset());
        assertError(gateway.post(CHAT, chatBody("one", false, "")), 502, null);
        upstream.enqueue(Step.delayed(Duration.ofSeconds(3), Step.json(200, OpenAiChunks.completion("m", "x", 1, 1))));
        assertError(gateway.post(CHAT, chatBody("one", false, "")), 504, "upstream_timeout");
    }

    @Test
    void theErrorEventOfAStreamThatFailsAfterItsCommitPoint() {
        upstream.enqueue(Step.sse(List.of(Frame.data(OpenAiChunks.roleChunk("m")),
                Frame.data(OpenAiChunks.chunk("m", "Hel")), Frame.stall(Duration.ofSeconds(3)),
                Frame.data(OpenAiChunks.chunk("m", "lo")), Frame.done())));

        TestGateway.StreamedResponse stream = gateway.stream(chatBody("one", true, ""));

        assertEquals(200, stream.status());
        List<String> data = stream.data();
        data.subList(0, data.size() - 1).forEach(chunk -> OpenAiSchema.assertChatChunk(parse(chunk)));
        JsonNode error = parse(data.getLast());
        OpenAiSchema.assertError(error);
        assertEquals("upstream_timeout", error.path("error").path("code").asText());
        assertFalse(data.contains("[DONE]"));
    }

    /** Valid against the schema, with the status and (when given) the code the gateway documents. */
    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
        JsonNode envelope = parse(response.body());
        OpenAiSchema.assertError(envelope);
        assertFalse(envelope.path("error").path("message").asText().isBlank(), response.body());
        if (code != null) {
            assertEquals(code, envelope.path("error").path("code").asText(), response.body());
        }
    }
}
