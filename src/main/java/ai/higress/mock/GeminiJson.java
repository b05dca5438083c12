package ai.higress.mock;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Gemini wire JSON of one answer: a {@code GenerateContentResponse}, or the stream of them that
 * {@code streamGenerateContent?alt=sse} sends. A text answer streams one response per piece, the last one carrying
 * the finish reason and the full usage; a function call arrives whole in one response, as Gemini sends calls. There
 * is no terminal marker: the stream ends when the body does.
 */
final class GeminiJson implements WireAnswer {

    private final ObjectMapper json;
    private final String id;
    private final ChatRequest request;

    GeminiJson(ObjectMapper json, String id, ChatRequest request) {
        this.json = json;
        this.id = id;
        this.request = request;
    }

    @Override
    public byte[] whole() {
        return bytes(response(wholePart(), true));
    }

    @Override
    public List<byte[]> opening() {
        return List.of();
    }

    @Override
    public List<byte[]> piece(int index, String piece) {
        if (request.answer() instanceof Answer.ToolCall) {
            return List.of();
        }
        boolean last = index == request.answer().pieces().size() - 1;
        return List.of(SseFrames.dataCrlf(bytes(response(json.createObjectNode().put("text", piece), last))));
    }

    @Override
    public List<byte[]> closing() {
        if (request.answer() instanceof Answer.ToolCall) {
            return List.of(SseFrames.dataCrlf(bytes(response(wholePart(), true))));
        }
        return List.of();
    }

    /** A response whose every candidate holds {@code part}; a final one has the finish reason and full usage. */
    private ObjectNode response(ObjectNode part, boolean finished) {
        ObjectNode root = json.createObjectNode();
        ArrayNode candidates = root.putArray("candidates");
        for (int index = 0; index < request.choices(); index++) {
            ObjectNode candidate = candidates.addObject();
            ObjectNode content = candidate.putObject("content");
            content.putArray("parts").add(part.deepCopy());
            content.put("role", "model");
            if (finished) {
                candidate.put("finishReason", request.answer().truncated() ? "MAX_TOKENS" : "STOP");
            }
            candidate.put("index", index);
        }
        ObjectNode usage = root.putObject("usageMetadata").put("promptTokenCount", request.promptTokens());
        if (finished) {
            usage.put("candidatesTokenCount", request.completionTokens());
        }
        usage.put("totalTokenCount", (long) request.promptTokens() + (finished ? request.completionTokens() : 0));
        return root.put("modelVersion", request.model()).put("responseId", id);
    }

    private ObjectNode wholePart() {
        ObjectNode part = json.createObjectNode();
        switch (request.answer()) {
            case Answer.Text text -> part.put("text", text.content());
            case Answer.ToolCall call -> part.putObject("functionCall").put("name", call.functionName())
                    .set("args", call.argumentsObject(json));
        }
        return part;
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
