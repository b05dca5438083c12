package ai.higress.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.higress.schema.WireProtocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An Anthropic Messages client, as Anthropic's SDKs behave: {@code x-api-key} and {@code anthropic-version}, the
 * assistant's content blocks appended as received, and streams read by the SDKs' accumulation rules (usage from
 * {@code message_start}, updated by {@code message_delta}).
 */
public final class MessagesClient implements Client {
    private static final Set<String> STOP_REASONS = Set.of("end_turn", "max_tokens", "stop_sequence", "tool_use",
            "pause_turn", "refusal");

    @Override
    public WireProtocol protocol() {
        return WireProtocol.ANTHROPIC_MESSAGES;
    }

    @Override
    public String path() {
        return "/v1/messages";
    }

    @Override
    public Map<String, String> headers(String key) {
        return Map.of("x-api-key", key, "anthropic-version", "2023-06-01");
    }

    @Override
    public String toString() {
        return "messages";
    }

    @Override
    public ObjectNode text(String model, boolean stream) {
        ObjectNode body = base(model, stream, Script.MAX_TOKENS);
        body.put("system", Script.SYSTEM);
        body.putArray("stop_sequences").add(Script.STOP);
        body.putArray("messages").addObject().put("role", "user").put("content", Script.HELLO);
        return body;
    }

    @Override
    public ObjectNode tools(String model, boolean stream) {
        ObjectNode body = base(model, stream, Script.MAX_TOKENS);
        ArrayNode tools = body.putArray("tools");
        for (Script.Tool tool : Script.tools()) {
            tools.addObject().put("name", tool.name()).put("description", tool.description())
                    .set("input_schema", tool.parameters());
        }
        body.putArray("messages").addObject().put("role", "user").put("content", Script.ASK_TOOLS);
        return body;
    }

    @Override
    public ObjectNode toolResults(ObjectNode first, Answer answer, boolean stream) {
        ObjectNode body = first.deepCopy();
        ArrayNode messages = (ArrayNode) body.get("messages");
        messages.addObject().put("role", "assistant").set("content", answer.replay());
        ArrayNode results = messages.addObject().put("role", "user").putArray("content");
        for (Answer.Call call : answer.calls()) {
            results.addObject().put("type", "tool_result").put("tool_use_id", call.id())
                    .put("content", Script.RESULTS.get(call.name()));
        }
        return body;
    }

    @Override
    public ObjectNode image(String model, String url) {
        ObjectNode body = base(model, false, Script.MAX_TOKENS);
        ArrayNode content = body.putArray("messages").addObject().put("role", "user").putArray("content");
        content.addObject().put("type", "text").put("text", Script.ASK_IMAGE);
        ObjectNode source = content.addObject().put("type", "image").putObject("source");
        if (url.equals(Wire.PNG_URL)) {
            source.put("type", "base64").put("media_type", "image/png").put("data", Wire.PNG);
        } else {
            source.put("type", "url").put("url", url);
        }
        return body;
    }

    @Override
    public ObjectNode reasoning(String model, boolean stream) {
        ObjectNode body = base(model, stream, Script.REASONING_MAX_TOKENS);
        body.putObject("thinking").put("type", "enabled").put("budget_tokens", 2048);
        body.putArray("messages").addObject().put("role", "user").put("content", Script.HELLO);
        return body;
    }

    @Override
    public String reasoningParam() {
        return "thinking";
    }

    private static ObjectNode base(String model, boolean stream, long maxTokens) {
        ObjectNode body = Wire.object().put("model", model).put("max_tokens", maxTokens);
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    @Override
    public Answer json(String body) {
        JsonNode message = Wire.tree(body);
        assertEquals("message", message.path("type").asText(), body);
        assertEquals("assistant", message.path("role").asText(), body);
        assertTrue(message.path("id").asText().startsWith("msg_"), body);
        assertTrue(message.path("model").isTextual() && message.has("stop_sequence"), body);
        Blocks blocks = new Blocks();
        message.path("content").forEach(block -> blocks.complete((ObjectNode) block));
        return blocks.answer(stop(message.path("stop_reason").asText()), tokens(message.path("usage"), null));
    }

    @Override
    public Answer stream(List<String> lines) {
        List<Wire.Event> events = named(Wire.events(lines)).stream()
                .filter(event -> !event.name().equals("ping")).toList();
        assertEquals("message_start", events.getFirst().name(), "a Messages stream opens with message_start");
        assertEquals("message_stop", events.getLast().name(), "a Messages stream ends with message_stop");
        Wire.Event delta = events.get(events.size() - 2);
        assertEquals("message_delta", delta.name(), "message_delta comes last before message_stop");
        Blocks blocks = new Blocks();
        for (Wire.Event event : events.subList(1, events.size() - 2)) {
            blocks.streamed(event.name(), event.json());
        }
        blocks.closed();
        JsonNode end = delta.json();
        return blocks.answer(stop(end.path("delta").path("stop_reason").asText()),
                tokens(events.getFirst().json().path("message").path("usage"), end.path("usage")));
    }

    @Override
    public String streamError(List<String> lines) {
        List<Wire.Event> events = named(Wire.events(lines));
        events.forEach(event -> assertFalse(event.name().equals("message_stop"), "message_stop in a failed stream"));
        Wire.Event last = events.getLast();
        assertEquals("error", last.name(), "a failed Messages stream ends with an error event");
        JsonNode error = last.json().path("error");
        assertTrue(error.path("type").isTextual() && error.path("message").isTextual(), last.data());
        return error.path("message").asText();
    }

    @Override
    public String error(int status, String body, int expectedStatus) {
        assertEquals(expectedStatus, status, body);
        JsonNode root = Wire.tree(body);
        assertEquals("error", root.path("type").asText(), body);
        assertTrue(root.path("error").path("type").isTextual() && root.path("error").path("message").isTextual()
                && root.path("request_id").isTextual(), "an Anthropic error envelope: " + body);
        return root.path("error").path("message").asText();
    }

    /** Every event is named, and the name is the type in its data; no {@code [DONE]}. */
    private static List<Wire.Event> named(List<Wire.Event> events) {
        for (Wire.Event event : events) {
            assertFalse(event.data().equals("[DONE]"), "[DONE] in a Messages stream");
            assertEquals(event.name(), event.json().path("type").asText(), "event name and type: " + event);
        }
        return events;
    }

    private static Answer.Stop stop(String reason) {
        assertTrue(STOP_REASONS.contains(reason), "not a stop reason: " + reason);
        return switch (reason) {
            case "max_tokens" -> Answer.Stop.MAX_TOKENS;
            case "tool_use" -> Answer.Stop.TOOL_USE;
            case "refusal" -> Answer.Stop.REFUSAL;
            default -> Answer.Stop.END;
        };
    }

    /** Anthropic counts cache reads and writes apart from {@code input_tokens}; a later object updates an earlier. */
    private static Answer.Tokens tokens(JsonNode start, JsonNode update) {
        long[] counts = new long[4];
        String[] fields = {"input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens", "output_tokens"};
        for (JsonNode usage : new JsonNode[] {start, update}) {
            for (int i = 0; usage != null && i < fields.length; i++) {
                if (usage.path(fields[i]).isNumber()) {
                    counts[i] = usage.path(fields[i]).asLong();
                }
            }
        }
        return new Answer.Tokens(counts[0] + counts[1] + counts[2], counts[1], counts[2], counts[3]);
    }
}
