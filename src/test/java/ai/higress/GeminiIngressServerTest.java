package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import ai.higress.schema.Json;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.RecordedRequest;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;
import ai.higress.testing.Frame;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Gemini API ingress end to end: a Gemini-speaking client in front of an OpenAI upstream (translated both ways)
 * and of a Gemini upstream (the fast path: the client's body relayed, only the path's model replaced), with Google's
 * error envelope on every failure.
 */
class GeminiIngressServerTest {
    private static final String BODY = """
            {"systemInstruction":{"parts":[{"text":"Be brief."}]},
             "contents":[{"role":"user","parts":[{"text":"Hi"}]}],
             "generationConfig":{"temperature":0.3,"maxOutputTokens":64}}""";

    private ScriptedUpstream openai;
    private ScriptedUpstream gemini;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        openai = ScriptedUpstream.start();
        gemini = ScriptedUpstream.start();
        gateway = TestGateway.start("""
                providers:
                  a: {type: openai, base-url: "%s", api-key: "sk-upstream-secret-value", models: [m-a]}
                  gem: {type: gemini, base-url: "http://127.0.0.1:%d/v1beta", api-key: "AIzaSy-upstream-secret",
                        models: [gemini-2.0-flash]}
                models:
                  one: {targets: [{provider: a, model: m-a}]}
                  flash: {targets: [{provider: gem, model: gemini-2.0-flash}]}
                """.formatted(openai.baseUri(), gemini.port()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        openai.close();
        gemini.close();
    }

    @Test
    void generateContentIsAnsweredByAnOpenAiUpstream() {
        openai.enqueue(Step.json(200, OpenAiChunks.completion("m-a", "Hello", 5, 2)));

        HttpResponse<String> response = gateway.send(post("/v1beta/models/one:generateContent", BODY)
                .header("x-goog-api-key", TestGateway.KEY).build());

        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = tree(response.body());
        assertEquals("Hello", answer.path("candidates").path(0).path("content").path("parts").path(0).path("text")
                .asText());
        assertEquals("STOP", answer.path("candidates").path(0).path("finishReason").asText());
        assertEquals(tree("{\"promptTokenCount\":5,\"candidatesTokenCount\":2,\"totalTokenCount\":7}"),
                answer.path("usageMetadata"));
        RecordedRequest sent = openai.lastRequest();
        assertEquals("/v1/chat/completions", sent.path());
        assertTrue(sent.header("x-goog-api-key").isEmpty(), "the client's key stays at the gateway");
        assertEquals(tree("""
                {"model":"m-a","messages":[{"role":"system","content":"Be brief."},
                 {"role":"user","content":[{"type":"text","text":"Hi"}]}],
                 "max_completion_tokens":64,"temperature":0.3}"""), sent.json());
    }

    @Test
    void streamGenerateContentGivesGeminiEventsWithTheKeyInTheQuery() {
        openai.enqueue(Step.sse(OpenAiChunks.streamOf("m-a", List.of("Hel", "lo"), true)));

        TestGateway.StreamedResponse stream = gateway.stream(post("/v1beta/models/one:streamGenerateContent?alt=sse&key="
                + TestGateway.KEY, BODY).build());

        assertEquals(200, stream.status(), stream.body());
        assertTrue(stream.response().headers().firstValue("content-type").orElseThrow()
                .startsWith("text/event-stream"));
        List<JsonNode> events = stream.data().stream().map(GeminiIngressServerTest::tree).toList();
        assertEquals(3, events.size(), stream.body());
        assertEquals("Hel", events.get(0).path("candidates").path(0).path("content").path("parts").path(0)
                .path("text").asText());
        assertEquals("lo", events.get(1).path("candidates").path(0).path("content").path("parts").path(0)
                .path("text").asText());
        assertEquals("STOP", events.get(2).path("candidates").path(0).path("finishReason").asText());
        assertTrue(events.get(2).path("usageMetadata").path("totalTokenCount").asLong() > 0, stream.body());
        assertFalse(stream.body().contains("[DONE]"), "Gemini streams have no terminator");
        assertTrue(openai.lastRequest().json().path("stream_options").path("include_usage").asBoolean());
    }

    @Test
    void errorsAreInGooglesEnvelope() {
        assertGoogleError(gateway.send(post("/v1beta/models/one:streamGenerateContent", BODY)
                .header("x-goog-api-key", TestGateway.KEY).build()), 400, "INVALID_ARGUMENT", "alt=sse");
        assertGoogleError(gateway.send(post("/v1beta/models/one:generateContent", BODY)
                .header("x-goog-api-key", "wrong-key").build()), 401, "UNAUTHENTICATED", "API key");
        assertGoogleError(gateway.send(post("/v1beta/models/nope:generateContent", BODY)
                .header("Authorization", "Bearer " + TestGateway.KEY).build()), 404, "NOT_FOUND", "nope");
        assertGoogleError(gateway.send(post("/v1beta/models/one:generateContent",
                "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"candidateCount\":3}}")
                .header("x-goog-api-key", TestGateway.KEY).build()), 400, "INVALID_ARGUMENT",
                "generationConfig.candidateCount");
        assertEquals(0, openai.callCount());
    }

    @Test
    void anUpstreamFailureIsAnsweredInGooglesEnvelope() {
        openai.enqueue(Step.json(429, OpenAiChunks.errorEnvelope("Slow down", "rate_limit_error", "rate_limit")));

        HttpResponse<String> response = gateway.send(post("/v1beta/models/one:generateContent", BODY)
                .header("x-goog-api-key", TestGateway.KEY).build());

        assertEquals(response.statusCode(), tree(response.body()).path("error").path("code").asInt(), response.body());
        assertFalse(tree(response.body()).path("error").path("status").asText().isEmpty(), response.body());
    }

    @Test
    void aGeminiUpstreamGetsTheClientsBodyAndAnswersUntouched() {
        String answer = fixture("response-text.gemini.json");
        gemini.enqueue(Step.json(200, answer));

        HttpResponse<String> response = gateway.send(post("/v1beta/models/flash:generateContent", BODY)
                .header("x-goog-api-key", TestGateway.KEY).build());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(tree(answer), tree(response.body()));
        RecordedRequest sent = gemini.lastRequest();
        assertEquals("/v1beta/models/gemini-2.0-flash:generateContent", sent.path());
        assertEquals(tree(BODY), sent.json());
        assertEquals("AIzaSy-upstream-secret", sent.header("x-goog-api-key").orElseThrow());
    }

    @Test
    void aGeminiUpstreamStreamIsRelayedEventForEvent() {
        String body = fixture("stream-text.gemini.sse");
        gemini.enqueue(Step.sse(List.of(Frame.raw(body))));

        TestGateway.StreamedResponse stream = gateway.stream(post("/v1beta/models/flash:streamGenerateContent?alt=sse",
                BODY).header("x-goog-api-key", TestGateway.KEY).build());

        assertEquals(200, stream.status(), stream.body());
        List<String> relayed = body.lines().filter(line -> line.startsWith("data:"))
                .map(line -> Json.text(tree(line.substring(5).trim()))).toList();
        assertEquals(relayed, stream.data().stream().map(data -> Json.text(tree(data))).toList());
        assertEquals("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", gemini.lastRequest().path());
        assertEquals(tree(BODY), gemini.lastRequest().json());
    }

    private void assertGoogleError(HttpResponse<String> response, int status, String googleStatus, String mention) {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = tree(response.body()).path("error");
        assertEquals(status, error.path("code").asInt(), response.body());
        assertEquals(googleStatus, error.path("status").asText(), response.body());
        assertTrue(error.path("message").asText().contains(mention), response.body());
    }

    private HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(gateway.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String fixture(String name) {
        try (InputStream in = GeminiIngressServerTest.class.getResourceAsStream("/fixtures/gemini/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
