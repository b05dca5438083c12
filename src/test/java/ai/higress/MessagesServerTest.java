package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import ai.higress.schema.Json;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.RecordedRequest;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/messages} and {@code /v1/messages/count_tokens} end to end: an Anthropic-speaking client in front of
 * a gateway whose upstream speaks OpenAI chat (a scripted upstream on a real socket).
 */
class MessagesServerTest {
    static final String MESSAGES = "/v1/messages";
    private static final String UPSTREAM_KEY = "sk-upstream-secret-value";

    private ScriptedUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        upstream = ScriptedUpstream.start();
        gateway = TestGateway.start("""
                providers:
                  a: {type: openai, base-url: "%s", api-key: "%s", models: [m-a]}
                models:
                  one: {targets: [{provider: a, model: m-a}]}
                sessions: {max-turns: 5}
                """.formatted(upstream.baseUri(), UPSTREAM_KEY));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void aMessageIsAnsweredByAnOpenAiUpstream() {
        upstream.enqueue(Step.json(200, OpenAiChunks.completion("m-a", "Hello", 5, 2)));

        HttpResponse<String> response = gateway.send(anthropic(MESSAGES, """
                {"model":"one","max_tokens":256,"system":"Be brief.","temperature":0.3,
                 "messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}"""));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(tree("""
                {"id":"msg_scripted0001","type":"message","role":"assistant","model":"m-a",
                 "content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,
                          "output_tokens":2}}"""), tree(response.body()));
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        assertEquals("a", response.headers().firstValue("x-higress-provider").orElseThrow());

        RecordedRequest sent = upstream.lastRequest();
        assertEquals("/v1/chat/completions", sent.path());
        assertEquals("Bearer " + UPSTREAM_KEY, sent.header("authorization").orElseThrow());
        assertTrue(sent.header("x-api-key").isEmpty(), "the client's key stays at the gateway");
        assertTrue(sent.header("anthropic-version").isEmpty());
        assertEquals(tree("""
                {"model":"m-a","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],
                 "max_completion_tokens":256,"temperature":0.3}"""), sent.json());
    }

    @Test
    void thePathWithoutV1AndABearerKeyWorkToo() {
        upstream.enqueue(Step.json(200, OpenAiChunks.completion("m-a", "Hi", 1, 1)));
        HttpResponse<String> response = gateway.post("/messages", """
                {"model":"one","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}""");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("message", tree(response.body()).path("type").asText());
    }

    @Test
    void aStreamIsAnsweredWithAnthropicsEventSequence() {
        upstream.enqueue(Step.sse(OpenAiChunks.streamOf("m-a", List.of("Hel", "lo"), true)));

        TestGateway.StreamedResponse stream = gateway.stream(anthropic(MESSAGES, """
                {"model":"one","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""));

        assertEquals(200, stream.status(), stream.body());
        assertTrue(stream.response().headers().firstValue("content-type").orElseThrow()
                .startsWith("text/event-stream"));
        assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop"), eventNames(stream));
        List<JsonNode> data = stream.data().stream().map(MessagesServerTest::tree).toList();
        assertEquals("msg_scripted0001", data.get(0).path("message").path("id").asText());
        assertEquals("Hel", data.get(2).path("delta").path("text").asText());
        assertEquals("lo", data.get(3).path("delta").path("text").asText());
        assertEquals(tree("""
                {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},
                 "usage":{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,
                          "output_tokens":2}}"""), data.get(5));
        assertFalse(stream.body().contains("[DONE]"), "Anthropic streams end with message_stop");
        assertTrue(upstream.lastRequest().json().path("stream_options").path("include_usage").asBoolean());
    }

    @Test
    void toolUseRoundTrip() {
        upstream.enqueue(Step.json(200, """
                {"id":"chatcmpl-tool1","object":"chat.completion","created":1,"model":"m-a","choices":[{"index":0,
                 "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_w1","type":"function",
                 "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                 "finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":40,"completion_tokens":9,"total_tokens":49}}"""));
        String tools = """
                "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object",
                 "properties":{"city":{"type":"string"}}}}]""";
        HttpResponse<String> first = gateway.send(anthropic(MESSAGES, """
                {"model":"one","max_tokens":100,%s,"messages":[{"role":"user","content":"Weather in Paris?"}]}"""
                .formatted(tools)));

        assertEquals(200, first.statusCode(), first.body());
        JsonNode message = tree(first.body());
        assertEquals("tool_use", message.path("stop_reason").asText());
        assertEquals(tree("{\"type\":\"tool_use\",\"id\":\"call_w1\",\"name\":\"get_weather\","
                + "\"input\":{\"city\":\"Paris\"}}"), message.path("content").get(0));
        assertEquals("get_weather", upstream.lastRequest().json().path("tools").get(0).path("function")
                .path("name").asText());

        upstream.enqueue(Step.json(200, OpenAiChunks.completion("m-a", "18 degrees in Paris.", 60, 6)));
        HttpResponse<String> second = gateway.send(anthropic(MESSAGES, """
                {"model":"one","max_tokens":100,%s,"messages":[{"role":"user","content":"Weather in Paris?"},
                 {"role":"assistant","content":%s},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_w1","content":"18C"}]}]}"""
                .formatted(tools, message.path("content"))));

        assertEquals(200, second.statusCode(), second.body());
        assertEquals("18 degrees in Paris.", tree(second.body()).path("content").get(0).path("text").asText());
        JsonNode messages = upstream.lastRequest().json().path("messages");
        assertEquals(tree("""
                [{"role":"user","content":"Weather in Paris?"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_w1","type":"function",
                  "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_w1","content":"18C"}]"""), messages);
    }

    @Test
    void aSessionRecordsMessagesTurnsInBothForms() {
        String id = "conv-" + UUID.randomUUID();
        upstream.enqueue(Step.json(200, OpenAiChunks.completion("m-a", "Hello there", 5, 2)));
        upstream.enqueue(Step.sse(OpenAiChunks.streamOf("m-a", List.of("Second", " answer"), true)));

        HttpResponse<String> json = gateway.send(anthropic(MESSAGES, """
                {"model":"one","max_tokens":10,"messages":[{"role":"user","content":"First question"}]}""", id));
        TestGateway.StreamedResponse stream = gateway.stream(anthropic(MESSAGES, """
                {"model":"one","max_tokens":10,"stream":true,
                 "messages":[{"role":"user","content":[{"type":"text","text":"Second question"}]}]}""", id));

        assertEquals(200, json.statusCode(), json.body());
        assertEquals(200, stream.status(), stream.body());
        HttpResponse<String> view = gateway.get("/v1/sessions/" + id);
        assertEquals(200, view.statusCode(), view.body());
        JsonNode snippets = tree(view.body()).path("snippets");
        assertEquals(2, snippets.size(), view.body());
        assertEquals("First question", snippets.get(0).path("user").asText());
        assertEquals("Hello there", snippets.get(0).path("assistant").asText());
        assertEquals("Second question", snippets.get(1).path("user").asText());
        assertEquals("Second answer", snippets.get(1).path("assistant").asText());
        assertEquals("a", tree(view.body()).path("sticky").path("provider").asText());
    }

    @Test
    void countTokensEstimatesWithoutCallingTheUpstream() {
        HttpResponse<String> response = gateway.send(anthropic(MESSAGES + "/count_tokens", """
                {"model":"one","system":"Be brief.","messages":[{"role":"user","content":"Hello, how are you?"}],
                 "tools":[{"name":"lookup","description":"Find","input_schema":{"type":"object"}}]}"""));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(tree("{\"input_tokens\":" + expectedTokens() + "}"), tree(response.body()));
        assertEquals(0, upstream.callCount());

        HttpResponse<String> unknown = gateway.send(anthropic("/messages/count_tokens", """
                {"model":"nope","messages":[{"role":"user","content":"Hi"}]}"""));
        assertEquals(404, unknown.statusCode());
        assertEquals("not_found_error", tree(unknown.body()).path("error").path("type").asText());
    }

    /** The estimator's count for the count_tokens request above, worked out by hand. */
    private static long expectedTokens() {
        // the text values of the canonical messages: "system" (6), "Be brief." (9), "user" (4) and
        // "Hello, how are you?" (19): 38 characters, a token per four started -> 10
        long messages = (9 + 6 + 4 + 19 + 3) / 4;
        // the canonical tool: "function" (8), "lookup" (6), "Find" (4), "object" (6): 24 characters -> 6
        long tools = (8 + 6 + 4 + 6 + 3) / 4;
        return messages + tools;
    }

    // ---- helpers

    static HttpRequest anthropic(TestGateway gateway, String path, String body, String key) {
        return HttpRequest.newBuilder(gateway.uri(path)).header("x-api-key", key)
                .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest anthropic(String path, String body) {
        return anthropic(gateway, path, body, TestGateway.KEY);
    }

    private HttpRequest anthropic(String path, String body, String sessionId) {
        return HttpRequest.newBuilder(gateway.uri(path)).header("x-api-key", TestGateway.KEY)
                .header("content-type", "application/json").header("X-Session-Id", sessionId)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static List<String> eventNames(TestGateway.StreamedResponse stream) {
        return stream.lines().stream().filter(line -> line.startsWith("event: ")).map(line -> line.substring(7))
                .toList();
    }

    static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
