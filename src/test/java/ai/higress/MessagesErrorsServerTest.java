package ai.higress;

import static ai.higress.MessagesServerTest.MESSAGES;
import static ai.higress.MessagesServerTest.anthropic;
import static ai.higress.MessagesServerTest.eventNames;
import static ai.higress.MessagesServerTest.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import ai.higress.testing.Frame;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every failure of a Messages request comes back in Anthropic's error envelope with Anthropic's status, whether the
 * gateway's edge, its limits or its upstreams refused it; the chat completions endpoint keeps OpenAI's format.
 */
class MessagesErrorsServerTest {
    private static final String LIMITED_KEY = "sk-test-limited-key-0123456789";
    private static final String HELLO = """
            {"model":"one","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""";

    private ScriptedUpstream upstreamA;
    private ScriptedUpstream upstreamB;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        upstreamA = ScriptedUpstream.start();
        upstreamB = ScriptedUpstream.start();
        gateway = TestGateway.start("""
                providers:
                  a: {type: openai, base-url: "%s", api-key: "sk-upstream-a-secret", models: [m-a]}
                  b: {type: openai, base-url: "%s", api-key: "sk-upstream-b-secret", models: [m-b]}
                models:
                  one: {targets: [{provider: a, model: m-a}]}
                  both: {targets: [{provider: a, model: m-a, priority: 1}, {provider: b, model: m-b, priority: 2}]}
                auth:
                  api-keys: [{name: "t-%s", key: "%s"}, {name: limited, key: "%s", rpm: 1}]
                limits: {max-request-bytes: 4096, max-attempts: 2}
                """.formatted(upstreamA.baseUri(), upstreamB.baseUri(), UUID.randomUUID().toString().substring(0, 8),
                TestGateway.KEY, LIMITED_KEY));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstreamA.close();
        upstreamB.close();
    }

    @Test
    void aWrongOrMissingKeyIs401AuthenticationError() {
        HttpResponse<String> wrong = gateway.send(anthropic(gateway, MESSAGES, HELLO, "sk-wrong-key-0123456789"));
        assertError(wrong, 401, "authentication_error", "Incorrect API key provided.");
        assertEquals(wrong.headers().firstValue("x-request-id").orElseThrow(),
                tree(wrong.body()).path("request_id").asText(), "the id to quote when reporting it");

        HttpResponse<String> missing = gateway.send(HttpRequest.newBuilder(gateway.uri(MESSAGES))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(HELLO)).build());
        assertEquals(401, missing.statusCode());
        assertEquals("authentication_error", type(missing));

        HttpResponse<String> count = gateway.send(anthropic(gateway, MESSAGES + "/count_tokens", HELLO, "sk-nope"));
        assertEquals("authentication_error", type(count), "count_tokens too");
        assertEquals(0, upstreamA.callCount());
    }

    @Test
    void badRequestsAre400InvalidRequestErrorNamingTheField() {
        assertError(send("{\"model\":\"one\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"), 400,
                "invalid_request_error", "max_tokens: Field required");
        assertError(send("{\"model\":\"one\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"document\",\"source\":{}}]}]}"), 400, "invalid_request_error",
                "messages.0.content.0: a document block cannot be translated for the gateway's upstreams and is "
                        + "not supported");
        HttpResponse<String> notJson = send("{\"model\":");
        assertEquals(400, notJson.statusCode());
        assertEquals("invalid_request_error", type(notJson));
        assertFalse(tree(notJson.body()).path("error").has("param"), "Anthropic's envelope has no param");
        assertEquals(0, upstreamA.callCount());
    }

    @Test
    void anUnknownModelIs404NotFoundError() {
        assertError(send(HELLO.replace("\"one\"", "\"no-such-model\"")), 404, "not_found_error",
                "The model `no-such-model` does not exist or you do not have access to it.");
    }

    @Test
    void edgeErrorsOfTheServerAreInAnthropicsFormatToo() {
        HttpResponse<String> get = gateway.send(HttpRequest.newBuilder(gateway.uri(MESSAGES))
                .header("x-api-key", TestGateway.KEY).GET().build());
        assertError(get, 405, "invalid_request_error", "Method GET is not allowed for /v1/messages.");

        HttpResponse<String> batches = gateway.send(anthropic(gateway, MESSAGES + "/batches", HELLO, TestGateway.KEY));
        assertEquals(404, batches.statusCode());
        assertEquals("not_found_error", type(batches));

        String large = HELLO.replace("Hi", "x".repeat(5000));
        assertError(send(large), 413, "request_too_large",
                "Request body is larger than the configured limit of 4096 bytes.");
    }

    @Test
    void aRateLimitedKeyIs429RateLimitErrorWithRetryAfter() {
        upstreamA.otherwise(Step.json(200, OpenAiChunks.completion("m-a", "Hello", 5, 2)));
        assertEquals(200, gateway.send(anthropic(gateway, MESSAGES, HELLO, LIMITED_KEY)).statusCode());

        HttpResponse<String> refused = gateway.send(anthropic(gateway, MESSAGES, HELLO, LIMITED_KEY));

        assertEquals(429, refused.statusCode(), refused.body());
        assertEquals("rate_limit_error", type(refused));
        assertTrue(refused.headers().firstValue("retry-after").isPresent());
        assertEquals("0", refused.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
        assertEquals(1, upstreamA.callCount());
    }

    @Test
    void upstreamFailuresAfterFailoverAre5xxApiError() {
        upstreamA.otherwise(Step.json(500, OpenAiChunks.errorEnvelope("boom", "server_error", null)));
        upstreamB.otherwise(Step.json(500, OpenAiChunks.errorEnvelope("boom", "server_error", null)));

        HttpResponse<String> response = send(HELLO.replace("\"one\"", "\"both\""));

        assertEquals(502, response.statusCode(), response.body());
        assertEquals("api_error", type(response));
        assertEquals(1, upstreamA.callCount());
        assertEquals(1, upstreamB.callCount(), "failed over before giving up");
    }

    @Test
    void overloadedUpstreamsAre529OverloadedError() {
        upstreamA.otherwise(Step.json(503, OpenAiChunks.errorEnvelope("busy", "server_error", null)));
        upstreamB.otherwise(Step.json(529, OpenAiChunks.errorEnvelope("busy", "overloaded_error", null)));

        HttpResponse<String> response = send(HELLO.replace("\"one\"", "\"both\""));

        assertEquals(529, response.statusCode(), response.body());
        assertEquals("overloaded_error", type(response));
    }

    @Test
    void aStreamBrokenAfterTheCommitPointEndsWithAnErrorEvent() {
        upstreamA.enqueue(Step.sse(List.of(Frame.data(OpenAiChunks.roleChunk("m-a")),
                Frame.data(OpenAiChunks.chunk("m-a", "Hel")), Frame.truncate())));

        TestGateway.StreamedResponse stream = gateway.stream(anthropic(gateway, MESSAGES,
                HELLO.replace("{\"model\"", "{\"stream\":true,\"model\""), TestGateway.KEY));

        assertEquals(200, stream.status());
        assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "error"),
                eventNames(stream), "no message_stop after an error");
        assertEquals(tree("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"the stream from "
                + "provider 'a' broke off\"}}"), tree(stream.data().getLast()));
        assertEquals(1, upstreamA.callCount(), "no retry after the commit point");
    }

    @Test
    void aStreamThatFailsBeforeItsFirstEventIsAnOrdinaryErrorResponse() {
        upstreamA.otherwise(Step.json(429, OpenAiChunks.errorEnvelope("slow down", "requests", "rate_limit_exceeded"),
                java.util.Map.of("retry-after", "3")));

        TestGateway.StreamedResponse stream = gateway.stream(anthropic(gateway, MESSAGES,
                HELLO.replace("{\"model\"", "{\"stream\":true,\"model\""), TestGateway.KEY));

        assertEquals(429, stream.status(), stream.body());
        assertEquals("rate_limit_error", tree(stream.body()).path("error").path("type").asText());
        assertEquals("3", stream.response().headers().firstValue("retry-after").orElseThrow());
    }

    @Test
    void theChatEndpointKeepsOpenAisFormat() {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
                .header("x-api-key", "sk-wrong-key-0123456789").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertEquals(401, response.statusCode());
        assertEquals("invalid_api_key", tree(response.body()).path("error").path("code").asText());
        assertFalse(tree(response.body()).has("type"));
    }

    private HttpResponse<String> send(String body) {
        return gateway.send(anthropic(gateway, MESSAGES, body, TestGateway.KEY));
    }

    private static String type(HttpResponse<String> response) {
        return tree(response.body()).path("error").path("type").asText();
    }

    private static void assertError(HttpResponse<String> response, int status, String type, String message) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
        JsonNode body = tree(response.body());
        assertEquals("error", body.path("type").asText(), response.body());
        assertEquals(type, body.path("error").path("type").asText(), response.body());
        assertEquals(message, body.path("error").path("message").asText());
    }
}
