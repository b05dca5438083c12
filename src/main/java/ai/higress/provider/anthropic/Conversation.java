package ai.higress.provider.anthropic;

import java.io.IOException;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OpenAI chat messages as an Anthropic conversation. System and developer messages, wherever they stand, become the
 * top-level {@code system} blocks in order. Anthropic wants user and assistant turns to alternate, so consecutive
 * messages of one role are merged into one turn; {@code tool} messages become {@code tool_result} blocks of a user
 * turn (parallel results share one turn, ahead of any text that follows, as Anthropic requires), and an assistant's
 * {@code tool_calls} become {@code tool_use} blocks.
 *
 * @param system the system blocks, empty when there is no system message
 * @param turns  the alternating user and assistant turns
 */
record Conversation(ArrayNode system, ArrayNode turns) {

    static Conversation of(JsonNode messages) {
        Conversation conversation = new Conversation(Json.MAPPER.createArrayNode(), Json.MAPPER.createArrayNode());
        for (int i = 0; i < messages.size(); i++) {
            conversation.add(messages.get(i), "messages[" + i + "]");
        }
        conversation.turns.forEach(turn -> toolResultsFirst((ObjectNode) turn));
        return conversation;
    }

    private void add(JsonNode message, String param) {
        String role = message.path("role").asText();
        switch (role) {
            case "system", "developer" -> system.addAll(ContentParts.blocks(message.get("content"), param + ".content"));
            case "user" -> append("user", ContentParts.blocks(message.get("content"), param + ".content"));
            case "assistant" -> append("assistant", assistant(message, param));
            case "tool" -> append("user", Json.MAPPER.createArrayNode().add(toolResult(message, param)));
            default -> throw Refusals.value(param + ".role", "'" + role + "' is not supported with Anthropic "
                    + "models; send tool results as 'tool' messages");
        }
    }

    private void append(String role, ArrayNode blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        JsonNode last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
        if (last != null && role.equals(last.path("role").asText())) {
            ((ArrayNode) last.get("content")).addAll(blocks);
            return;
        }
        ObjectNode turn = turns.addObject().put("role", role);
        turn.set("content", blocks);
    }

    private static ArrayNode assistant(JsonNode message, String param) {
        if (message.hasNonNull("function_call")) {
            throw Refusals.parameter(param + ".function_call", "use 'tool_calls'");
        }
        ArrayNode blocks = ContentParts.blocks(message.get("content"), param + ".content");
        JsonNode calls = message.path("tool_calls");
        for (int i = 0; i < calls.size(); i++) {
            blocks.add(toolUse(calls.get(i), param + ".tool_calls[" + i + "]"));
        }
        return blocks;
    }

    private static ObjectNode toolUse(JsonNode call, String param) {
        String type = call.path("type").asText("function");
        if (!type.equals("function")) {
            throw Refusals.value(param + ".type", "'" + type + "' tool calls have no Anthropic equivalent");
        }
        JsonNode function = call.path("function");
        ObjectNode block = Json.object().put("type", "tool_use").put("id", call.path("id").asText(""))
                .put("name", function.path("name").asText(""));
        block.set("input", arguments(function.path("arguments").asText(""), param + ".function.arguments"));
        return block;
    }

    /** The arguments string as the JSON object Anthropic wants; an empty string means no arguments. */
    private static JsonNode arguments(String arguments, String param) {
        if (arguments.isBlank()) {
            return Json.object();
        }
        try {
            JsonNode input = Json.MAPPER.readTree(arguments);
            if (input != null && input.isObject()) {
                return input;
            }
        } catch (IOException e) {
            // reported below
        }
        throw Refusals.invalid(param, "Anthropic models need tool-call arguments that are a JSON object");
    }

    private static ObjectNode toolResult(JsonNode message, String param) {
        String id = message.path("tool_call_id").asText("");
        if (id.isEmpty()) {
            throw Refusals.invalid(param + ".tool_call_id", "a tool message needs the id of the call it answers");
        }
        ObjectNode block = Json.object().put("type", "tool_result").put("tool_use_id", id);
        JsonNode content = message.get("content");
        if (content != null && content.isArray()) {
            block.set("content", ContentParts.blocks(content, param + ".content"));
        } else {
            block.put("content", content == null || content.isNull() ? "" : content.asText());
        }
        return block;
    }

    /** Anthropic wants a user turn's tool results before anything else in it. */
    private static void toolResultsFirst(ObjectNode turn) {
        ArrayNode content = (ArrayNode) turn.get("content");
        ArrayNode ordered = Json.MAPPER.createArrayNode();
        content.forEach(block -> {
            if ("tool_result".equals(block.path("type").asText())) {
                ordered.add(block);
            }
        });
        if (ordered.isEmpty() || ordered.size() == content.size()) {
            return;
        }
        content.forEach(block -> {
            if (!"tool_result".equals(block.path("type").asText())) {
                ordered.add(block);
            }
        });
        turn.set("content", ordered);
    }
}
