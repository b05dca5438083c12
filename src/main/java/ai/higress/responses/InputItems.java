package ai.higress.responses;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Responses API input items. A request's {@code input} is validated and normalised once into the items the gateway
 * keeps and replays: messages, function calls and function call outputs, with only the fields that carry meaning (no
 * item ids or statuses, which belong to the store that created them; a stored record gives its own, see
 * {@link ItemResources}). Reasoning items are dropped: chat completions has no way to send them back. The items then
 * become chat-completions messages.
 */
final class InputItems {
    private static final List<String> ROLES = List.of("user", "assistant", "system", "developer");

    private InputItems() {
    }

    /** The normalised items of a request's {@code input}: a string is one user message. */
    static List<ObjectNode> normalise(JsonNode input) {
        if (input == null || input.isNull()) {
            throw RequestErrors.missing("input");
        }
        if (input.isTextual()) {
            return List.of(message("user", Json.MAPPER.getNodeFactory().textNode(input.asText())));
        }
        if (!input.isArray()) {
            throw RequestErrors.type("input", "a string or an array of input items", input);
        }
        if (input.isEmpty()) {
            throw RequestErrors.emptyArray("input");
        }
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            item(input.get(i), "input[" + i + "]").ifPresent(items::add);
        }
        if (items.isEmpty()) {
            throw RequestErrors.unsupported("input", "The input holds only reasoning items; send at least one "
                    + "message, function_call or function_call_output item.");
        }
        return items;
    }

    private static Optional<ObjectNode> item(JsonNode item, String param) {
        if (!item.isObject()) {
            throw RequestErrors.type(param, "an object", item);
        }
        JsonNode type = item.get("type");
        String kind = type == null || type.isNull() ? "message" : RequestErrors.text(type, param + ".type");
        return switch (kind) {
            case "message" -> Optional.of(inputMessage(item, param));
            case "function_call" -> Optional.of(functionCall(item, param));
            case "function_call_output" -> Optional.of(functionCallOutput(item, param));
            case "reasoning" -> Optional.empty();
            default -> throw RequestErrors.unsupported(param + ".type", "Input items of type '" + kind + "' are not "
                    + "supported by this gateway; send messages, function_call and function_call_output items.");
        };
    }

    private static ObjectNode inputMessage(JsonNode item, String param) {
        String role = RequestErrors.text(item.get("role"), param + ".role");
        if (!ROLES.contains(role)) {
            throw RequestErrors.value(param + ".role", role, ROLES);
        }
        JsonNode content = item.get("content");
        if (content == null || content.isNull()) {
            throw RequestErrors.missing(param + ".content");
        }
        if (content.isTextual()) {
            return message(role, content);
        }
        if (!content.isArray()) {
            throw RequestErrors.type(param + ".content", "a string or an array of content parts", content);
        }
        if (role.equals("assistant")) {
            return message(role, Json.MAPPER.getNodeFactory().textNode(ContentParts.assistantText(content,
                    param + ".content")));
        }
        return message(role, ContentParts.input(content, param + ".content", role.equals("user")));
    }

    private static ObjectNode functionCall(JsonNode item, String param) {
        ObjectNode call = Json.object();
        call.put("type", "function_call");
        call.put("call_id", RequestErrors.text(item.get("call_id"), param + ".call_id"));
        call.put("name", RequestErrors.text(item.get("name"), param + ".name"));
        call.put("arguments", RequestErrors.text(item.get("arguments"), param + ".arguments"));
        return call;
    }

    private static ObjectNode functionCallOutput(JsonNode item, String param) {
        ObjectNode result = Json.object();
        result.put("type", "function_call_output");
        result.put("call_id", RequestErrors.text(item.get("call_id"), param + ".call_id"));
        JsonNode output = item.get("output");
        if (output == null || output.isNull()) {
            throw RequestErrors.missing(param + ".output");
        }
        if (output.isTextual()) {
            result.set("output", output);
        } else if (output.isArray()) {
            // a tool message of chat completions carries text only
            result.set("output", ContentParts.input(output, param + ".output", false));
        } else {
            throw RequestErrors.type(param + ".output", "a string or an array of content parts", output);
        }
        return result;
    }

    private static ObjectNode message(String role, JsonNode content) {
        ObjectNode message = Json.object();
        message.put("type", "message");
        message.put("role", role);
        message.set("content", content);
        return message;
    }

    /**
     * The items that replay a response's {@code output} as input: assistant text as a message, function calls as they
     * were, each keeping the id it had in the output, which the client already knows. Reasoning and anything else the
     * gateway cannot replay are left out.
     */
    static List<ObjectNode> ofOutput(JsonNode output) {
        List<ObjectNode> items = new ArrayList<>();
        for (JsonNode item : output) {
            switch (item.path("type").asText("")) {
                case "message" -> {
                    String text = ContentParts.outputText(item.path("content"));
                    if (!text.isEmpty()) {
                        items.add(keepingId(item, message("assistant", Json.MAPPER.getNodeFactory().textNode(text))));
                    }
                }
                case "function_call" -> {
                    ObjectNode call = Json.object();
                    call.put("type", "function_call");
                    call.put("call_id", item.path("call_id").asText(""));
                    call.put("name", item.path("name").asText(""));
                    call.put("arguments", item.path("arguments").asText(""));
                    items.add(keepingId(item, call));
                }
                default -> {
                    // reasoning and built-in tool items cannot be replayed through chat completions
                }
            }
        }
        return items;
    }

    private static ObjectNode keepingId(JsonNode outputItem, ObjectNode replay) {
        String id = outputItem.path("id").asText("");
        if (!id.isEmpty()) {
            replay.put("id", id);
        }
        return replay;
    }

    /**
     * Chat-completions messages for normalised items, appended to {@code messages}. Consecutive function calls join
     * the assistant message before them, because chat completions carries a turn's tool calls on one message.
     */
    static void toMessages(List<ObjectNode> items, ArrayNode messages) {
        for (ObjectNode item : items) {
            switch (item.path("type").asText()) {
                case "message" -> messages.add(chatMessage(item));
                case "function_call" -> toolCall(item, messages);
                case "function_call_output" -> messages.add(toolResult(item));
                default -> throw new IllegalStateException("not a normalised item: " + item.path("type"));
            }
        }
    }

    private static ObjectNode chatMessage(ObjectNode item) {
        ObjectNode message = Json.object();
        String role = item.path("role").asText();
        // "developer" is what OpenAI calls the system role; compatible vendors know only "system"
        message.put("role", role.equals("developer") ? "system" : role);
        JsonNode content = item.get("content");
        message.set("content", content.isTextual() ? content : ContentParts.toChat(content));
        return message;
    }

    private static void toolCall(ObjectNode item, ArrayNode messages) {
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        ObjectNode assistant;
        if (last instanceof ObjectNode previous && "assistant".equals(previous.path("role").asText())) {
            assistant = previous;
        } else {
            assistant = messages.addObject();
            assistant.put("role", "assistant");
            assistant.putNull("content");
        }
        ArrayNode calls = assistant.has("tool_calls") ? (ArrayNode) assistant.get("tool_calls")
                : assistant.putArray("tool_calls");
        ObjectNode call = calls.addObject();
        call.put("id", item.path("call_id").asText());
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", item.path("name").asText());
        function.put("arguments", item.path("arguments").asText());
    }

    private static ObjectNode toolResult(ObjectNode item) {
        ObjectNode message = Json.object();
        message.put("role", "tool");
        message.put("tool_call_id", item.path("call_id").asText());
        JsonNode output = item.get("output");
        message.set("content", output.isTextual() ? output : ContentParts.toChat(output));
        return message;
    }
}
