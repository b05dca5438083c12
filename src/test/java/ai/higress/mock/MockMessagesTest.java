package ai.higress.mock;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static ai.higress.mock.MockHttp.reply;
import static ai.higress.mock.MockHttp.tokens;
import static ai.higress.mock.MockHttp.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mock's Anthropic Messages endpoint: the message object, the event sequence, tool use, errors and the key. */
class MockMessagesTest {

    private static final String MESSAGES = "/v1/messages";
    private static final String[] VERSION = {"anthropic-version", "2023-06-01"};

    private final MockHttp http = new MockHttp();
    private MockUpstream mock;

    @BeforeEach
    void startMock() {
        mock = http.start(MockUpstreamConfig.defaults().withoutDelays());
    }

    @AfterEach
    void stopMocks() {
        http.close();
    }

    @Test
    void jsonReplyIsAMessageWithUsage() {
        String body = """
                {"model":"demo","max_tokens":256,"system":[{"type":"text","text":"Be brief."}],
                 "messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello."},
                   {"role":"user","content":[{"type":"text","text":"What is"},
                     {"type":"image","source":{"type":"url","url":"https://example.com/a.png"}},
                     {"type":"text","text":"a gateway?"}]}]}""";
        HttpResponse<String> response = http.post(mock, MESSAGES, body, VERSION);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        JsonNode message = tree(response.body());
        assertEquals("msg_mock_1", message.path("id").asText());
        assertEquals("message", message.path("type").asText());
        assertEquals("assistant", message.path("role").asText());
        assertEquals("demo", message.path("model").asText());
        assertEquals(1, message.path("content").size());
        JsonNode block = message.path("content").get(0);
        assertEquals("text", block.path("type").asText());
        assertEquals(reply("What is a gateway?"), block.path("text").asText());
        assertEquals("end_turn", message.path("stop_reason").asText());
        assertTrue(message.has("stop_sequence") && message.path("stop_sequence").isNull());
        int promptChars = "Be brief.".length() + "Hi".length() + "Hello.".length() + "What is".length()
                + "a gateway?".length();
        assertEquals((promptChars + 3) / 4, message.path("usage").path("input_tokens").asInt());
        assertEquals(tokens("What is a gateway?"), message.path("usage").path("output_tokens").asInt());
        assertEquals(1, mock.requestCount());
    }

    @Test
    void streamSendsTheMessagesEventSequence() {
        HttpResponse<String> response = http.post(mock, MESSAGES, messages("tell me a story", ",\"stream\":true"),
                VERSION);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("text/event-stream", response.headers().firstValue("content-type").orElseThrow());
        List<Event> events = events(response.body());
        int tokens = tokens("tell me a story");
        List<String> expected = new ArrayList<>(List.of("message_start", "content_block_start", "ping"));
        for (int i = 0; i < tokens; i++) {
            expected.add("content_block_delta");
        }
        expected.addAll(List.of("content_block_stop", "message_delta", "message_stop"));
        assertEquals(expected, events.stream().map(Event::name).toList());
        events.forEach(event -> assertEquals(event.name(), event.data().path("type").asText(), "type names event"));

        JsonNode start = events.getFirst().data().path("message");
        assertEquals("msg_mock_1", start.path("id").asText());
        assertEquals(0, start.path("content").size());
        assertTrue(start.path("stop_reason").isNull());
        assertEquals(4, start.path("usage").path("input_tokens").asInt(), "\"tell me a story\" is 15 characters");
        assertEquals("{\"type\":\"text\",\"text\":\"\"}", events.get(1).data().path("content_block").toString());
        StringBuilder text = new StringBuilder();
        for (Event delta : events.subList(3, 3 + tokens)) {
            assertEquals(0, delta.data().path("index").asInt());
            assertEquals("text_delta", delta.data().path("delta").path("type").asText());
            text.append(delta.data().path("delta").path("text").asText());
        }
        assertEquals(reply("tell me a story"), text.toString());
        JsonNode messageDelta = events.get(events.size() - 2).data();
        assertEquals("end_turn", messageDelta.path("delta").path("stop_reason").asText());
        assertEquals(tokens, messageDelta.path("usage").path("output_tokens").asInt());
        assertTrue(response.body().endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
    }

    @Test
    void aForcedToolStreamsItsInputAsJsonDeltas() {
        String tools = ",\"stream\":true,\"tool_choice\":{\"type\":\"any\"},\"tools\":[" + tool("lookup") + ","
                + tool("other") + "]";
        List<Event> events = events(http.post(mock, MESSAGES, messages("find \\\"quoted\\\" things", tools),
                VERSION).body());

        JsonNode block = events.get(1).data().path("content_block");
        assertEquals("tool_use", block.path("type").asText());
        assertEquals("toolu_mock_1", block.path("id").asText());
        assertEquals("lookup", block.path("name").asText(), "'any' picks the first tool");
        assertEquals("{}", block.path("input").toString());
        StringBuilder input = new StringBuilder();
        List<Event> deltas = events.stream().filter(event -> event.name().equals("content_block_delta")).toList();
        assertTrue(deltas.size() > 3, "the input arrives in several deltas: " + deltas.size());
        for (Event delta : deltas) {
            assertEquals("input_json_delta", delta.data().path("delta").path("type").asText());
            input.append(delta.data().path("delta").path("partial_json").asText());
        }
        assertEquals("find \"quoted\" things", tree(input.toString()).path("input").asText());
        assertEquals("tool_use", events.get(events.size() - 2).data().path("delta").path("stop_reason").asText());
    }

    @Test
    void aNamedToolAnswersWithThatToolInJson() {
        String tools = ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"other\"},\"tools\":[" + tool("lookup") + ","
                + tool("other") + "]";
        JsonNode message = tree(http.post(mock, MESSAGES, messages("weather?", tools), VERSION).body());

        assertEquals("tool_use", message.path("stop_reason").asText());
        JsonNode block = message.path("content").get(0);
        assertEquals("tool_use", block.path("type").asText());
        assertEquals("other", block.path("name").asText());
        assertEquals("{\"input\":\"weather?\"}", block.path("input").toString());
        JsonNode auto = tree(http.post(mock, MESSAGES, messages("weather?", ",\"tool_choice\":{\"type\":\"auto\"},"
                + "\"tools\":[" + tool("lookup") + "]"), VERSION).body());
        assertEquals("text", auto.path("content").get(0).path("type").asText(), "auto lets the mock answer text");
    }

    @Test
    void maxTokensCutsTheAnswer() {
        JsonNode message = tree(http.post(mock, MESSAGES, messages("hi", "").replace("256", "3"), VERSION).body());
        assertEquals("Hello from the", message.path("content").get(0).path("text").asText());
        assertEquals("max_tokens", message.path("stop_reason").asText());
        assertEquals(3, message.path("usage").path("output_tokens").asInt());
    }

    @Test
    void badRequestsGetTheAnthropicErrorEnvelope() {
        assertError(http.post(mock, MESSAGES, "{not json", VERSION), 400, "invalid_request_error");
        assertError(http.post(mock, MESSAGES, messages("hi", "").replace("\"max_tokens\":256,", ""), VERSION), 400,
                "invalid_request_error");
        assertError(http.post(mock, MESSAGES, "{\"model\":\"demo\",\"max_tokens\":5,\"messages\":[]}", VERSION), 400,
                "invalid_request_error");
        assertError(http.post(mock, MESSAGES, messages("hi", "").replace("\"user\"", "\"system\""), VERSION), 400,
                "invalid_request_error");
        assertError(http.post(mock, MESSAGES, messages("hi", ",\"tool_choice\":{\"type\":\"any\"}"), VERSION), 400,
                "invalid_request_error");
        HttpResponse<String> noVersion = http.post(mock, MESSAGES, messages("hi", ""));
        assertError(noVersion, 400, "invalid_request_error");
        assertTrue(noVersion.body().contains("anthropic-version"), noVersion.body());
        HttpResponse<String> unknown = http.post(mock, MESSAGES, messages("hi", "").replace("\"demo\"", "\"gpt-9\""),
                VERSION);
        assertError(unknown, 404, "not_found_error");
        assertEquals("model: gpt-9", tree(unknown.body()).path("error").path("message").asText());
        HttpResponse<String> wrongMethod = http.get(mock, MESSAGES, VERSION);
        assertError(wrongMethod, 405, "invalid_request_error");
        assertEquals("POST", wrongMethod.headers().firstValue("allow").orElseThrow());
    }

    @Test
    void theKeyIsReadFromXApiKey() {
        MockUpstream guarded = http.start(MockUpstreamConfig.defaults().withoutDelays().withApiKey("sk-mock"));
        String body = messages("hi", "");

        assertError(http.post(guarded, MESSAGES, body, VERSION), 401, "authentication_error");
        assertError(http.post(guarded, MESSAGES, body, "anthropic-version", "2023-06-01", "Authorization",
                "Bearer sk-mock"), 401, "authentication_error");
        assertError(http.post(guarded, MESSAGES, body, "anthropic-version", "2023-06-01", "x-api-key", "sk-wrong"),
                401, "authentication_error");
        assertEquals(200, http.post(guarded, MESSAGES, body, "anthropic-version", "2023-06-01", "x-api-key",
                "sk-mock").statusCode());
        assertEquals(1, guarded.requestCount(), "rejected callers never reach the handler");
        HttpResponse<String> models = http.get(guarded, "/v1/models", "anthropic-version", "2023-06-01",
                "x-api-key", "sk-mock");
        assertEquals(200, models.statusCode(), models.body());
    }

    @Test
    void modelsAreListedInAnthropicsShapeWhenAskedWithItsVersionHeader() {
        MockUpstream two = http.start(MockUpstreamConfig.defaults().withoutDelays().withModels(List.of("demo",
                "claude-mock")));
        JsonNode list = tree(http.get(two, "/v1/models", VERSION).body());

        assertFalse(list.has("object"));
        assertEquals(2, list.path("data").size());
        JsonNode first = list.path("data").get(0);
        assertEquals("model", first.path("type").asText());
        assertEquals("demo", first.path("id").asText());
        assertFalse(first.path("created_at").asText().isBlank());
        assertFalse(list.path("has_more").asBoolean(true));
        assertEquals("claude-mock", list.path("last_id").asText());
        assertEquals("claude-mock", tree(http.get(two, "/v1/models/claude-mock", VERSION).body()).path("id").asText());
        assertError(http.get(two, "/v1/models/nope", VERSION), 404, "not_found_error");
        assertEquals("list", tree(http.get(two, "/v1/models").body()).path("object").asText(), "OpenAI's without");
    }

    @Test
    void injectedFailuresAreApiErrors() {
        MockUpstream failing = http.start(MockUpstreamConfig.defaults().withoutDelays().withFailureRate(1));
        assertError(http.post(failing, MESSAGES, messages("hi", ""), VERSION), 500, "api_error");
        assertError(http.post(failing, MESSAGES, messages("hi", ",\"stream\":true"), VERSION), 500, "api_error");
        assertEquals(2, failing.requestCount());
    }

    private static String messages(String userText, String extraFields) {
        return "{\"model\":\"demo\",\"max_tokens\":256,\"messages\":[{\"role\":\"user\",\"content\":\"" + userText
                + "\"}]" + extraFields + "}";
    }

    private static String tool(String name) {
        return "{\"name\":\"" + name + "\",\"description\":\"d\",\"input_schema\":{\"type\":\"object\"}}";
    }

    private static void assertError(HttpResponse<String> response, int status, String type) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        JsonNode body = tree(response.body());
        assertEquals("error", body.path("type").asText(), response.body());
        assertEquals(type, body.path("error").path("type").asText(), response.body());
        assertFalse(body.path("error").path("message").asText().isBlank(), response.body());
        assertTrue(body.path("request_id").asText().startsWith("req_"), response.body());
    }

    record Event(String name, JsonNode data) {
    }

    /** Every event of an Anthropic stream, checking its framing: one {@code event:} and one {@code data:} line. */
    static List<Event> events(String body) {
        List<Event> events = new ArrayList<>();
        assertTrue(body.endsWith("\n\n"), body);
        for (String frame : body.split("\n\n")) {
            String[] lines = frame.split("\n");
            assertEquals(2, lines.length, frame);
            assertTrue(lines[0].startsWith("event: ") && lines[1].startsWith("data: "), frame);
            events.add(new Event(lines[0].substring("event: ".length()), tree(lines[1].substring("data: ".length()))));
        }
        return events;
    }
}
