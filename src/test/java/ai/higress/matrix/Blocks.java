package ai.higress.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The content blocks of one Messages answer, whole or streamed. A stream must open blocks one at a time with indices
 * 0, 1, 2..., send each block only deltas of its own kind, and close it before the next opens.
 */
final class Blocks {
    private final ArrayNode content = Wire.array();
    private final List<Integer> fragments = new ArrayList<>();
    private ObjectNode open;
    private StringBuilder json;

    /** A block of a complete message. */
    void complete(ObjectNode block) {
        String type = block.path("type").asText();
        assertTrue(List.of("text", "thinking", "tool_use").contains(type), "an unexpected block: " + block);
        if (type.equals("tool_use")) {
            assertTrue(block.path("id").isTextual() && block.path("input").isObject(), block.toString());
        }
        content.add(block.deepCopy());
        fragments.add(1);
    }

    /** One event between {@code message_start} and {@code message_delta}. */
    void streamed(String type, JsonNode event) {
        switch (type) {
            case "content_block_start" -> {
                assertTrue(open == null, "a block started before the previous one stopped: " + event);
                assertEquals(content.size(), event.path("index").asInt(-1), "block indices count up from 0");
                open = (ObjectNode) event.path("content_block").deepCopy();
                json = new StringBuilder();
                fragments.add(0);
            }
            case "content_block_delta" -> delta(event);
            case "content_block_stop" -> {
                assertTrue(open != null && event.path("index").asInt(-1) == content.size(), event.toString());
                if (open.path("type").asText().equals("tool_use")) {
                    open.set("input", json.isEmpty() ? Wire.object() : Wire.tree(json.toString()));
                }
                content.add(open);
                open = null;
            }
            default -> throw new AssertionError("unexpected event between message_start and message_delta: "
                    + event);
        }
    }

    private void delta(JsonNode event) {
        assertTrue(open != null && event.path("index").asInt(-1) == content.size(),
                "a delta outside its open block: " + event);
        JsonNode delta = event.path("delta");
        String expected = switch (open.path("type").asText()) {
            case "text" -> "text_delta";
            case "thinking" -> delta.path("type").asText().equals("signature_delta") ? "signature_delta"
                    : "thinking_delta";
            case "tool_use" -> "input_json_delta";
            default -> throw new AssertionError("an unexpected block: " + open);
        };
        assertEquals(expected, delta.path("type").asText(), "delta kind of a " + open.path("type") + " block");
        switch (expected) {
            case "text_delta" -> open.put("text", open.path("text").asText() + delta.path("text").asText());
            case "thinking_delta" -> open.put("thinking", open.path("thinking").asText()
                    + delta.path("thinking").asText());
            case "signature_delta" -> open.put("signature", delta.path("signature").asText());
            default -> {
                String piece = delta.path("partial_json").asText();
                json.append(piece);
                if (!piece.isEmpty()) {
                    fragments.set(fragments.size() - 1, fragments.getLast() + 1);
                }
            }
        }
    }

    /** The stream reached {@code message_delta}: no block may be left open. */
    void closed() {
        assertTrue(open == null, "a block was never stopped: " + open);
    }

    Answer answer(Answer.Stop stop, Answer.Tokens usage) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<Answer.Call> calls = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "thinking" -> reasoning.append(block.path("thinking").asText());
                default -> calls.add(new Answer.Call(block.path("id").asText(), block.path("name").asText(),
                        block.path("input"), fragments.get(i)));
            }
        }
        return new Answer(text.toString(), reasoning.toString(), stop, usage, calls, content);
    }
}
