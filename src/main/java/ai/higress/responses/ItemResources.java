package ai.higress.responses;

import java.util.List;
import java.util.function.Supplier;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Stored conversation items as {@code GET /v1/responses/{id}/input_items} lists them (the API's item resources), and
 * the ids they are stored with. A normalised item carries no id (a client's ids belong to the store that made them),
 * so the record gives each one when it is written; an item that already has one, carried over from the record it
 * continues or from the output item it replays, keeps it, so one item has one id across a chain of responses.
 */
final class ItemResources {

    private ItemResources() {
    }

    /** {@code item} with an id: itself when it has one, else a copy with a new id of its kind. */
    static ObjectNode identified(ObjectNode item, Supplier<String> ids) {
        if (!item.path("id").asText("").isEmpty()) {
            return item;
        }
        ObjectNode copy = item.deepCopy();
        copy.put("id", prefix(item.path("type").asText("")) + ids.get());
        return copy;
    }

    /** {@code item} without the id the gateway gave it: what an upstream is sent, which never knew that id. */
    static ObjectNode anonymous(ObjectNode item) {
        if (!item.has("id")) {
            return item;
        }
        ObjectNode copy = item.deepCopy();
        copy.remove("id");
        return copy;
    }

    private static String prefix(String type) {
        return switch (type) {
            case "function_call" -> "fc_";
            case "function_call_output" -> "fco_";
            default -> "msg_";
        };
    }

    /** The item resource of a normalised item, named {@code id}: an assistant message is an output message. */
    static ObjectNode resource(ObjectNode item, String id) {
        return switch (item.path("type").asText()) {
            case "function_call" -> ResponseObjects.functionCall(id, "completed", item.path("call_id").asText(),
                    item.path("name").asText(), item.path("arguments").asText());
            case "function_call_output" -> {
                ObjectNode output = Json.object();
                output.put("id", id);
                output.put("type", "function_call_output");
                output.put("status", "completed");
                output.put("call_id", item.path("call_id").asText());
                output.set("output", item.get("output"));
                yield output;
            }
            default -> message(item, id);
        };
    }

    private static ObjectNode message(ObjectNode item, String id) {
        String role = item.path("role").asText();
        JsonNode content = item.path("content");
        if (role.equals("assistant")) {
            return ResponseObjects.message(id, "completed", List.of(ResponseObjects.outputText(content.asText())));
        }
        ObjectNode message = Json.object();
        message.put("id", id);
        message.put("type", "message");
        message.put("role", role);
        if (content.isTextual()) {
            ArrayNode parts = message.putArray("content");
            parts.addObject().put("type", "input_text").put("text", content.asText());
        } else {
            message.set("content", content);
        }
        return message;
    }
}
