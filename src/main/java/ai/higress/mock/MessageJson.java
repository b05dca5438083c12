package ai.higress.mock;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Anthropic wire JSON of one answer: the {@code message} object, or its event stream {@code message_start},
 * {@code content_block_start}, {@code ping}, one {@code content_block_delta} per piece ({@code text_delta}, or
 * {@code input_json_delta} for a tool call), {@code content_block_stop}, {@code message_delta} with the stop reason
 * and output tokens, {@code message_stop}.
 */
final class MessageJson implements WireAnswer {

    private final ObjectMapper json;
    private final String id;
    private final ChatRequest request;

    MessageJson(ObjectMapper json, String id, ChatRequest request) {
        this.json = json;
        this.id = id;
        this.request = request;
    }

    @Override
    public byte[] whole() {
        ObjectNode message = message();
        message.putArray("content").add(block(true));
        message.put("stop_reason", stopReason());
        message.putNull("stop_sequence");
        message.set("usage", usage(request.completionTokens()));
        return bytes(message);
    }

    @Override
    public List<byte[]> opening() {
        ObjectNode message = message();
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        // The API counts the first output token before sending anything; its final count comes in message_delta.
        message.set("usage", usage(1));
        ObjectNode start = event("message_start");
        start.set("message", message);
        ObjectNode blockStart = event("content_block_start").put("index", 0);
        blockStart.set("content_block", block(false));
        return List.of(frame(start), frame(blockStart), frame(event("ping")));
    }

    @Override
    public List<byte[]> piece(int index, String piece) {
        ObjectNode delta = json.createObjectNode();
        switch (request.answer()) {
            case Answer.Text text -> delta.put("type", "text_delta").put("text", piece);
            case Answer.ToolCall call -> delta.put("type", "input_json_delta").put("partial_json", piece);
        }
        ObjectNode event = event("content_block_delta").put("index", 0);
        event.set("delta", delta);
        return List.of(frame(event));
    }

    @Override
    public List<byte[]> closing() {
        ObjectNode messageDelta = event("message_delta");
        messageDelta.putObject("delta").put("stop_reason", stopReason()).putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", request.completionTokens());
        return List.of(frame(event("content_block_stop").put("index", 0)), frame(messageDelta),
                frame(event("message_stop")));
    }

    private ObjectNode message() {
        return json.createObjectNode().put("id", id).put("type", "message").put("role", "assistant")
                .put("model", request.model());
    }

    /** The one content block: whole, or as a stream opens it (empty text, empty input). */
    private ObjectNode block(boolean whole) {
        ObjectNode block = json.createObjectNode();
        switch (request.answer()) {
            case Answer.Text text -> block.put("type", "text").put("text", whole ? text.content() : "");
            case Answer.ToolCall call -> {
                block.put("type", "tool_use").put("id", call.callId()).put("name", call.functionName());
                block.set("input", whole ? call.argumentsObject(json) : json.createObjectNode());
            }
        }
        return block;
    }

    private String stopReason() {
        if (request.answer().truncated()) {
            return "max_tokens";
        }
        return request.answer() instanceof Answer.ToolCall ? "tool_use" : "end_turn";
    }

    private ObjectNode usage(int outputTokens) {
        return json.createObjectNode().put("input_tokens", request.promptTokens())
                .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0)
                .put("output_tokens", outputTokens);
    }

    private ObjectNode event(String type) {
        return json.createObjectNode().put("type", type);
    }

    private byte[] frame(ObjectNode event) {
        return SseFrames.named(event.path("type").asText(), bytes(event));
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
