package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.higress.schema.Json;
import ai.higress.testing.Frame;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.OpenAiSchema;
import ai.higress.testing.RecordedRequest;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An OpenAI chat client in front of a scripted upstream speaking Gemini's wire format (fixtures/gemini), over real
 * sockets: JSON and streamed answers, tool calls across two turns, refusals that never reach the upstream, Gemini's
 * errors with their Retry-After, failover from a Gemini 503 to an OpenAI provider, and model discovery.
 */
class GeminiServerTest {
    private static final String GEMINI_KEY = "AIzaSy-upstream-gemini-secret";
    private static final String CHAT = "/v1/chat/completions";

    private ScriptedUpstream gemini;
    private ScriptedUpstream openai;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        gemini = ScriptedUpstream.start();
        openai = ScriptedUpstream.start();
        gateway = TestGateway.start("""
                providers:
                  gem: {type: gemini, base-url: "http://127.0.0.1:%d/v1beta", api-key: "%s", models: [gemini-2.0-flash]}
                  oai: {type: openai, base-url: "%s", api-key: "sk-upstream-openai-secret", models: [gpt-4o-mini]}
                models:
                  flash: {targets: [{provider: gem, model: gemini-2.0-flash}]}
                  resilient:
                    targets:
                      - {provider: gem, model: gemini-2.0-flash}
                      - {provider: oai, model: gpt-4o-mini, priority: 1}
                timeouts: {connect: PT1S, first-token: PT2S, idle: PT2S, request: PT5S, stream: PT5S}
                """.formatted(gemini.port(), GEMINI_KEY, openai.baseUri()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        gemini.close();
        openai.close();
    }

    @Test
    void aJsonAnswerIsTranslatedBothWays() {
        gemini.enqueue(Step.json(200, fixture("response-text.gemini.json")));

        HttpResponse<String> response = gateway.post(CHAT, fixture("request-system-multiturn.openai.json")
                .replace("\"gemini-flash\"", "\"flash\""));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("gem", response.headers().firstValue("x-higress-provider").orElseThrow());
        JsonNode completion = tree(response.body());
        OpenAiSchema.assertChatCompletion(completion);
        ObjectNode expected = (ObjectNode) tree(fixture("response-text.openai.json"));
        expected.set("created", completion.get("created"));
        assertEquals(expected, completion);

        RecordedRequest sent = gemini.lastRequest();
        assertEquals("/v1beta/models/gemini-2.0-flash:generateContent", sent.path());
        assertEquals(GEMINI_KEY, sent.header("x-goog-api-key").orElseThrow());
        assertTrue(sent.header("authorization").isEmpty(), "the client's key never goes upstream");
        sent.headers().forEach((name, values) -> values.forEach(value -> assertFalse(
                value.contains(TestGateway.KEY), "client key leaked upstream in header " + name)));
        assertEquals(tree(fixture("request-system-multiturn.gemini.json")), sent.json());
    }

    @Test
    void aStreamEndsNormallyWhenGeminiClosesAfterTheFinishReason() {
        // the body split at awkward places: inside an event, between CR and LF
        String body = fixture("stream-text.gemini.sse");
        List<Frame> frames = new ArrayList<>();
        for (int at = 0; at < body.length(); at += 37) {
            frames.add(Frame.raw(body.substring(at, Math.min(body.length(), at + 37))));
        }
        gemini.enqueue(Step.sse(frames));

        TestGateway.StreamedResponse stream = gateway.stream("""
                {"model": "flash", "stream": true, "stream_options": {"include_usage": true},
                 "messages": [{"role": "user", "content": "Why is the sky blue?"}]}""");

        assertEquals(200, stream.status());
        List<String> data = stream.data();
        List<JsonNode> expected = new ArrayList<>();
        for (String line : fixture("stream-text.openai.jsonl").split("\n")) {
            expected.add(line.equals("[DONE]") ? Json.MAPPER.getNodeFactory().textNode(line) : tree(line));
        }
        List<JsonNode> received = new ArrayList<>();
        for (String line : data) {
            JsonNode node = line.equals("[DONE]") ? Json.MAPPER.getNodeFactory().textNode(line) : tree(line);
            if (node.isObject()) {
                OpenAiSchema.assertChatChunk(node);
                ((ObjectNode) node).put("created", 1755137923);
            }
            received.add(node);
        }
        assertEquals(expected, received, "every chunk, the usage chunk and [DONE]; no error event");
        assertEquals("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", gemini.lastRequest().path());
        assertEquals(GEMINI_KEY, gemini.lastRequest().header("x-goog-api-key").orElseThrow());
        assertEquals("text/event-stream", gemini.lastRequest().header("accept").orElseThrow());
    }

    @Test
    void toolCallsRoundTripAcrossTwoTurns() {
        gemini.enqueue(Step.json(200, fixture("response-function-calls.gemini.json")));
        String tools = """
                "tools": [{"type": "function", "function": {"name": "get_weather",
                  "parameters": {"type": "object", "properties": {"city": {"type": "string"},
                  "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["city"],
                  "additionalProperties": false}}}]""";
        HttpResponse<String> first = gateway.post(CHAT, """
                {"model": "flash", "messages": [{"role": "user", "content": "Weather in Paris and Rome?"}], %s}"""
                .formatted(tools));

        assertEquals(200, first.statusCode(), first.body());
        OpenAiSchema.assertChatCompletion(tree(first.body()));
        JsonNode message = tree(first.body()).path("choices").path(0).path("message");
        assertEquals("tool_calls", tree(first.body()).path("choices").path(0).path("finish_reason").asText());
        JsonNode calls = message.path("tool_calls");
        assertEquals(2, calls.size());
        assertEquals("{\"city\":\"Paris\"}", calls.path(0).path("function").path("arguments").asText());
        assertEquals(tree("{\"type\":\"OBJECT\",\"properties\":{\"city\":{\"type\":\"STRING\"},\"unit\":{\"type\":"
                        + "\"STRING\",\"enum\":[\"celsius\",\"fahrenheit\"]}},\"required\":[\"city\"]}"),
                gemini.lastRequest().json().path("tools").path(0).path("functionDeclarations").path(0)
                        .path("parameters"));

        // the client replays the assistant message as it got it, then answers each call
        gemini.enqueue(Step.json(200, fixture("response-text.gemini.json")));
        HttpResponse<String> second = gateway.post(CHAT, """
                {"model": "flash", %s, "messages": [{"role": "user", "content": "Weather in Paris and Rome?"}, %s,
                 {"role": "tool", "tool_call_id": "%s", "content": "18C"},
                 {"role": "tool", "tool_call_id": "%s", "content": "24C"}]}""".formatted(tools, message,
                calls.path(0).path("id").asText(), calls.path(1).path("id").asText()));

        assertEquals(200, second.statusCode(), second.body());
        OpenAiSchema.assertChatCompletion(tree(second.body()));
        JsonNode contents = gemini.lastRequest().json().path("contents");
        assertEquals(3, contents.size());
        assertEquals("CiQBcsjafP0qcGFyaXM=", contents.path(1).path("parts").path(0).path("thoughtSignature").asText(),
                "the thought signature came back through extra_content");
        assertEquals(tree("[{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"content\":\"18C\"}}},"
                + "{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"content\":\"24C\"}}}]"),
                contents.path(2).path("parts"));
    }

    @Test
    void aRefusedParameterIsA400AndNoUpstreamIsCalled() {
        HttpResponse<String> response = gateway.post(CHAT, """
                {"model": "flash", "messages": [{"role": "user", "content": "Hi"}], "logit_bias": {"1": 5}}""");

        assertEquals(400, response.statusCode(), response.body());
        OpenAiSchema.assertError(tree(response.body()));
        JsonNode error = tree(response.body()).path("error");
        assertEquals("logit_bias", error.path("param").asText());
        assertEquals("unsupported_parameter", error.path("code").asText());
        assertEquals("invalid_request_error", error.path("type").asText());
        assertEquals(0, gemini.callCount());
    }

    @Test
    void aGeminiRateLimitReachesTheClientWithItsRetryDelay() {
        gemini.otherwise(Step.json(429, fixture("error-resource-exhausted.json")));

        HttpResponse<String> response = gateway.post(CHAT, """
                {"model": "flash", "messages": [{"role": "user", "content": "Hi"}]}""");

        assertEquals(429, response.statusCode(), response.body());
        OpenAiSchema.assertError(tree(response.body()));
        assertEquals("30", response.headers().firstValue("retry-after").orElseThrow());
        assertEquals("upstream_rate_limited", tree(response.body()).path("error").path("code").asText());
    }

    @Test
    void aGemini503FailsOverToTheOpenAiProvider() {
        gemini.enqueue(Step.json(503, fixture("error-unavailable.json")));
        openai.enqueue(Step.json(200, OpenAiChunks.completion("gpt-4o-mini", "from openai", 5, 2)));

        HttpResponse<String> response = gateway.post(CHAT, """
                {"model": "resilient", "messages": [{"role": "user", "content": "Hi"}]}""");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("oai", response.headers().firstValue("x-higress-provider").orElseThrow());
        assertEquals("2", response.headers().firstValue("x-higress-attempts").orElseThrow());
        assertEquals("from openai", tree(response.body()).path("choices").path(0).path("message").path("content")
                .asText());
        assertEquals(1, gemini.callCount());
        assertEquals(1, openai.callCount());
    }

    @Test
    void aStreamedGemini503FailsOverBeforeTheCommitPoint() {
        gemini.enqueue(Step.json(503, fixture("error-unavailable.json")));
        openai.enqueue(Step.sse(OpenAiChunks.streamOf("gpt-4o-mini", List.of("from ", "openai"), false)));

        TestGateway.StreamedResponse stream = gateway.stream("""
                {"model": "resilient", "stream": true, "messages": [{"role": "user", "content": "Hi"}]}""");

        assertEquals(200, stream.status());
        assertEquals("oai", stream.response().headers().firstValue("x-higress-provider").orElseThrow());
        assertTrue(stream.data().stream().anyMatch(line -> line.contains("openai")));
        assertEquals("[DONE]", stream.data().getLast());
        assertTrue(gemini.lastRequest().path().endsWith(":streamGenerateContent?alt=sse"));
    }

    @Test
    void anErrorMidStreamEndsTheStreamWithAnErrorEvent() {
        gemini.enqueue(Step.sse(List.of(Frame.raw(fixture("stream-error.gemini.sse")))));

        TestGateway.StreamedResponse stream = gateway.stream("""
                {"model": "flash", "stream": true, "messages": [{"role": "user", "content": "A story"}]}""");

        assertEquals(200, stream.status(), "committed at the first text");
        List<String> data = stream.data();
        assertTrue(data.get(1).contains("Once upon"), data.toString());
        data.subList(0, data.size() - 1).forEach(chunk -> OpenAiSchema.assertChatChunk(tree(chunk)));
        OpenAiSchema.assertError(tree(data.getLast()));
        JsonNode error = tree(data.getLast()).path("error");
        assertEquals("upstream_overloaded", error.path("code").asText(), data.toString());
        assertFalse(data.contains("[DONE]"), "never [DONE] after an error");
    }

    @Test
    void discoveredGeminiModelsAreListedPageByPage() {
        ScriptedUpstream listing = ScriptedUpstream.start();
        listing.enqueue(Step.json(200, fixture("models-page-1.json")));
        listing.enqueue(Step.json(200, fixture("models-page-2.json")));
        try (TestGateway discovering = TestGateway.start("""
                providers:
                  gem: {type: gemini, base-url: "http://127.0.0.1:%d/v1beta", api-key: "%s"}
                catalog: {discover: true, refresh-interval: PT1H}
                """.formatted(listing.port(), GEMINI_KEY))) {
            assertTrue(listing.awaitCallCount(2, Duration.ofSeconds(5)), "both pages fetched");
            List<String> ids = new ArrayList<>();
            for (int attempt = 0; attempt < 50 && ids.size() < 4; attempt++) {
                ids.clear();
                tree(discovering.get("/v1/models").body()).path("data")
                        .forEach(model -> ids.add(model.path("id").asText()));
                sleep();
            }
            assertEquals(List.of("gem/gemini-2.0-flash", "gem/gemini-2.5-pro", "gem/gemini-embedding-001",
                    "gem/gemini-2.5-flash"), ids);
            List<RecordedRequest> requests = listing.requests();
            assertEquals("/v1beta/models?pageSize=1000", requests.get(0).path());
            assertEquals("/v1beta/models?pageSize=1000&pageToken=Ch9tb2RlbHMvaW1hZ2VuLTQuMC1nZW5lcmF0ZS0wMDE%3D",
                    requests.get(1).path());
            assertEquals(GEMINI_KEY, requests.get(1).header("x-goog-api-key").orElseThrow());
        } finally {
            listing.close();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fixture(String name) {
        try (InputStream in = GeminiServerTest.class.getResourceAsStream("/fixtures/gemini/" + name)) {
            if (in == null) {
                throw new AssertionError("missing fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
