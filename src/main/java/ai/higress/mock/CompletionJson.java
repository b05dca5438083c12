package ai.higress.mock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The OpenAI wire JSON of one answer: the {@code chat.completion} object, or its {@code chat.completion.chunk}s. */
final class CompletionJson implements WireAnswer {

    static final String SYSTEM_FINGERPRINT = "fp_mock";
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper json;
    private final String id;
    private final long created;
    private final ChatRequest request;

    CompletionJson(ObjectMapper json, String id, long created, ChatRequest request) {
        this.json = json;
        this.id = id;
        this.created = created;
        this.request = request;
    }

    @Override
    public byte[] whole() {
        return completion();
    }

    /** The role chunk of every choice. */
    @Override
    public List<byte[]> opening() {
        List<byte[]> events = new ArrayList<>();
        for (int index = 0; index < request.choices(); index++) {
            events.add(SseFrames.data(roleChunk(index)));
        }
        return events;
    }

    @Override
    public List<byte[]> piece(int pieceIndex, String piece) {
        List<byte[]> events = new ArrayList<>();
        for (int index = 0; index < request.choices(); index++) {
            events.add(SseFrames.data(pieceChunk(index, piece)));
        }
        return events;
    }

    /** The finish chunk of every choice, the usage chunk when asked for, and {@code [DONE]}. */
    @Override
    public List<byte[]> closing() {
        List<byte[]> events = new ArrayList<>();
        for (int index = 0; index < request.choices(); index++) {
            events.add(SseFrames.data(finishChunk(index)));
        }
        if (request.includeUsage()) {
            events.add(SseFrames.data(usageChunk()));
        }
        events.add(SseFrames.data(DONE));
        return events;
    }

    byte[] completion() {
        ObjectNode root = header("chat.completion");
        ArrayNode choices = root.putArray("choices");
        for (int index = 0; index < request.choices(); index++) {
            ObjectNode choice = choices.addObject().put("index", index);
            choice.set("message", message());
            choice.putNull("logprobs");
            choice.put("finish_reason", request.answer().finishReason());
        }
        root.set("usage", usage());
        root.put("system_fingerprint", SYSTEM_FINGERPRINT);
        return bytes(root);
    }

    /** The first chunk of a choice: the role, and for a tool call its id and function name. */
    byte[] roleChunk(int index) {
        ObjectNode delta = json.createObjectNode().put("role", "assistant");
        switch (request.answer()) {
            case Answer.Text text -> delta.put("content", "");
            case Answer.ToolCall call -> {
                delta.putNull("content");
                ObjectNode toolCall = delta.putArray("tool_calls").addObject().put("index", 0)
                        .put("id", call.callId()).put("type", "function");
                toolCall.putObject("function").put("name", call.functionName()).put("arguments", "");
            }
        }
        return chunk(index, delta, false);
    }

    byte[] pieceChunk(int index, String piece) {
        ObjectNode delta = json.createObjectNode();
        switch (request.answer()) {
            case Answer.Text text -> delta.put("content", piece);
            case Answer.ToolCall call -> delta.putArray("tool_calls").addObject().put("index", 0)
                    .putObject("function").put("arguments", piece);
        }
        return chunk(index, delta, false);
    }

    byte[] finishChunk(int index) {
        return chunk(index, json.createObjectNode(), true);
    }

    byte[] usageChunk() {
        ObjectNode root = header("chat.completion.chunk");
        root.put("system_fingerprint", SYSTEM_FINGERPRINT);
        root.putArray("choices");
        root.set("usage", usage());
        return bytes(root);
    }

    private byte[] chunk(int index, ObjectNode delta, boolean finished) {
        ObjectNode root = header("chat.completion.chunk");
        root.put("system_fingerprint", SYSTEM_FINGERPRINT);
        ObjectNode choice = root.putArray("choices").addObject().put("index", index);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finished) {
            choice.put("finish_reason", request.answer().finishReason());
        } else {
            choice.putNull("finish_reason");
        }
        if (request.includeUsage()) {
            root.putNull("usage");
        }
        return bytes(root);
    }

    private ObjectNode header(String object) {
        return json.createObjectNode().put("id", id).put("object", object).put("created", created)
                .put("model", request.model());
    }

    private ObjectNode message() {
        ObjectNode message = json.createObjectNode().put("role", "assistant");
        switch (request.answer()) {
            case Answer.Text text -> message.put("content", text.content());
            case Answer.ToolCall call -> {
                message.putNull("content");
                ObjectNode toolCall = message.putArray("tool_calls").addObject().put("id", call.callId())
                        .put("type", "function");
                toolCall.putObject("function").put("name", call.functionName()).put("arguments", call.arguments());
            }
        }
        // required by the OpenAI schema and always sent by OpenAI: null unless the model refused
        message.putNull("refusal");
        return message;
    }

    private ObjectNode usage() {
        int completionTokens = request.completionTokens();
        return json.createObjectNode().put("prompt_tokens", request.promptTokens())
                .put("completion_tokens", completionTokens)
                .put("total_tokens", (long) request.promptTokens() + completionTokens);
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
