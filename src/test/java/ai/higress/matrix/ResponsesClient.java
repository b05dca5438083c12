package ai.higress.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.higress.schema.WireProtocol;
import ai.higress.testing.OpenAiSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An OpenAI Responses client: it continues a conversation with {@code previous_response_id} and the function call
 * outputs, and checks every object and event against the official schemas.
 */
public final class ResponsesClient implements Client {
    private static final Set<String> TERMINAL = Set.of("response.completed", "response.incomplete");

    @Override
    public WireProtocol protocol() {
        return WireProtocol.OPENAI_RESPONSES;
    }

    @Override
    public String path() {
        return "/v1/responses";
    }

    @Override
    public Map<String, String> headers(String key) {
        return Map.of("authorization", "Bearer " + key);
    }

    @Override
    public String toString() {
        return "responses";
    }

    @Override
    public ObjectNode text(String model, boolean stream) {
        ObjectNode body = base(model, stream);
        body.put("instructions", Script.SYSTEM).put("input", Script.HELLO).put("max_output_tokens", Script.MAX_TOKENS);
        return body;
    }

    @Override
    public ObjectNode tools(String model, boolean stream) {
        ObjectNode body = base(model, stream).put("input", Script.ASK_TOOLS);
        ArrayNode tools = body.putArray("tools");
        for (Script.Tool tool : Script.tools()) {
            tools.addObject().put("type", "function").put("name", tool.name()).put("description", tool.description())
                    .set("parameters", tool.parameters());
        }
        return body;
    }

    @Override
    public ObjectNode toolResults(ObjectNode first, Answer answer, boolean stream) {
        ObjectNode body = base(first.path("model").asText(), stream);
        body.set("previous_response_id", answer.replay());
        ArrayNode input = body.putArray("input");
        for (Answer.Call call : answer.calls()) {
            input.addObject().put("type", "function_call_output").put("call_id", call.id())
                    .put("output", Script.RESULTS.get(call.name()));
        }
        body.set("tools", first.get("tools"));
        return body;
    }

    @Override
    public ObjectNode image(String model, String url) {
        ObjectNode body = base(model, false);
        ArrayNode content = body.putArray("input").addObject().put("role", "user").putArray("content");
        content.addObject().put("type", "input_text").put("text", Script.ASK_IMAGE);
        content.addObject().put("type", "input_image").put("image_url", url);
        return body;
    }

    @Override
    public ObjectNode reasoning(String model, boolean stream) {
        ObjectNode body = base(model, stream).put("input", Script.HELLO)
                .put("max_output_tokens", Script.REASONING_MAX_TOKENS);
        body.putObject("reasoning").put("effort", "low");
        return body;
    }

    @Override
    public String reasoningParam() {
        return "reasoning.effort";
    }

    private static ObjectNode base(String model, boolean stream) {
        ObjectNode body = Wire.object().put("model", model);
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    @Override
    public Answer json(String body) {
        JsonNode response = Wire.tree(body);
        OpenAiSchema.assertResponse(response);
        return read(response, Map.of());
    }

    @Override
    public Answer stream(List<String> lines) {
        List<Wire.Event> events = checked(Wire.events(lines));
        assertEquals("response.created", events.getFirst().name(), "a Responses stream opens with response.created");
        assertTrue(TERMINAL.contains(events.getLast().name()), "a Responses stream ends with its terminal event");
        StringBuilder text = new StringBuilder();
        Map<String, StringBuilder> arguments = new HashMap<>();
        Map<String, Integer> fragments = new HashMap<>();
        int added = 0;
        for (Wire.Event event : events) {
            JsonNode data = event.json();
            switch (event.name()) {
                case "response.output_item.added" -> assertEquals(added++, data.path("output_index").asInt(),
                        "output items are added in order");
                case "response.output_text.delta" -> text.append(data.path("delta").asText());
                case "response.function_call_arguments.delta" -> {
                    String item = data.path("item_id").asText();
                    arguments.computeIfAbsent(item, id -> new StringBuilder()).append(data.path("delta").asText());
                    fragments.merge(item, 1, Integer::sum);
                }
                default -> {
                    // lifecycle, content part and done events carry nothing the deltas did not
                }
            }
        }
        JsonNode response = events.getLast().json().path("response");
        OpenAiSchema.assertResponse(response);
        Answer answer = read(response, fragments);
        assertEquals(answer.text(), text.toString(), "the text deltas add up to the final text");
        for (JsonNode item : response.path("output")) {
            if (item.path("type").asText().equals("function_call")) {
                assertEquals(item.path("arguments").asText(), String.valueOf(arguments.get(item.path("id").asText())),
                        "the argument deltas add up to the final arguments of " + item.path("id"));
            }
        }
        return answer;
    }

    @Override
    public String streamError(List<String> lines) {
        List<Wire.Event> events = checked(Wire.events(lines));
        events.forEach(event -> assertFalse(TERMINAL.contains(event.name()), "a terminal event in a failed stream"));
        Wire.Event last = events.getLast();
        assertEquals("error", last.name(), "a failed Responses stream ends with an error event");
        return last.json().path("message").asText();
    }

    @Override
    public String error(int status, String body, int expectedStatus) {
        assertEquals(expectedStatus, status, body);
        OpenAiSchema.assertError(Wire.tree(body));
        return Wire.tree(body).path("error").path("message").asText();
    }

    /** Named events, each valid against its schema, numbered 0, 1, 2... as the API numbers them; no [DONE]. */
    private static List<Wire.Event> checked(List<Wire.Event> events) {
        for (int i = 0; i < events.size(); i++) {
            Wire.Event event = events.get(i);
            assertFalse(event.data().equals("[DONE]"), "[DONE] in a Responses stream");
            JsonNode data = event.json();
            assertEquals(event.name(), data.path("type").asText(), "event name and type: " + event);
            assertEquals(i, data.path("sequence_number").asInt(-1), "sequence numbers count up from 0: " + event);
            OpenAiSchema.assertStreamEvent(data);
        }
        return events;
    }

    private static Answer read(JsonNode response, Map<String, Integer> fragments) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<Answer.Call> calls = new ArrayList<>();
        for (JsonNode item : response.path("output")) {
            switch (item.path("type").asText()) {
                case "message" -> item.path("content").forEach(part -> text.append(part.path("text").asText("")));
                case "reasoning" -> {
                    item.path("summary").forEach(part -> reasoning.append(part.path("text").asText()));
                    item.path("content").forEach(part -> reasoning.append(part.path("text").asText()));
                }
                case "function_call" -> calls.add(new Answer.Call(item.path("call_id").asText(),
                        item.path("name").asText(), Wire.tree(item.path("arguments").asText()),
                        fragments.getOrDefault(item.path("id").asText(), 1)));
                default -> throw new AssertionError("an unexpected output item: " + item);
            }
        }
        Answer.Stop stop;
        if (response.path("status").asText().equals("incomplete")) {
            stop = response.path("incomplete_details").path("reason").asText().equals("content_filter")
                    ? Answer.Stop.REFUSAL : Answer.Stop.MAX_TOKENS;
        } else {
            assertEquals("completed", response.path("status").asText(), response.toString());
            stop = calls.isEmpty() ? Answer.Stop.END : Answer.Stop.TOOL_USE;
        }
        JsonNode usage = response.path("usage");
        JsonNode details = usage.path("input_tokens_details");
        return new Answer(text.toString(), reasoning.toString(), stop, new Answer.Tokens(
                usage.path("input_tokens").asLong(), details.path("cached_tokens").asLong(),
                details.path("cache_write_tokens").asLong(), usage.path("output_tokens").asLong()), calls,
                response.path("id"));
    }
}
