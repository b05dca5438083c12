package ai.higress.responses;

import java.util.List;
import java.util.Optional;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Responses parameters whose shape differs from chat completions: function tools (flat there, nested under
 * {@code function} here), the tool choice, and {@code text.format} (chat's {@code response_format}). Built-in tools
 * (web search, file search, computer use, ...) run inside OpenAI's own service; a gateway translating to chat
 * completions cannot run them, so they are refused rather than silently dropped.
 */
final class ResponsesTools {
    private static final List<String> CHOICES = List.of("none", "auto", "required");
    private static final List<String> VERBOSITY = List.of("low", "medium", "high");

    private ResponsesTools() {
    }

    /** Chat-completions tools for the request's {@code tools}. */
    static ArrayNode chatTools(JsonNode tools) {
        ArrayNode chat = Json.MAPPER.createArrayNode();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String param = "tools[" + i + "]";
            if (!tool.isObject()) {
                throw RequestErrors.type(param, "an object", tool);
            }
            String type = RequestErrors.text(tool.get("type"), param + ".type");
            if (!type.equals("function")) {
                throw RequestErrors.unsupported(param + ".type", "Tools of type '" + type + "' are not supported by "
                        + "this gateway; only function tools are.");
            }
            ObjectNode function = chat.addObject().put("type", "function").putObject("function");
            function.put("name", RequestErrors.text(tool.get("name"), param + ".name"));
            copy(tool, function, "description", param, JsonKind.STRING);
            copy(tool, function, "parameters", param, JsonKind.OBJECT);
            copy(tool, function, "strict", param, JsonKind.BOOLEAN);
        }
        return chat;
    }

    /** The chat-completions {@code tool_choice} for the request's. */
    static JsonNode chatToolChoice(JsonNode choice) {
        if (choice.isTextual()) {
            if (!CHOICES.contains(choice.asText())) {
                throw RequestErrors.value("tool_choice", choice.asText(), CHOICES);
            }
            return choice;
        }
        if (!choice.isObject()) {
            throw RequestErrors.type("tool_choice", "a string or an object", choice);
        }
        String type = RequestErrors.text(choice.get("type"), "tool_choice.type");
        return switch (type) {
            case "function" -> namedFunction(RequestErrors.text(choice.get("name"), "tool_choice.name"));
            case "allowed_tools" -> allowedTools(choice);
            default -> throw RequestErrors.unsupported("tool_choice.type", "A tool_choice of type '" + type
                    + "' is not supported by this gateway; use none, auto, required, a function or allowed_tools.");
        };
    }

    private static ObjectNode allowedTools(JsonNode choice) {
        String mode = RequestErrors.text(choice.get("mode"), "tool_choice.mode");
        if (!mode.equals("auto") && !mode.equals("required")) {
            throw RequestErrors.value("tool_choice.mode", mode, List.of("auto", "required"));
        }
        JsonNode tools = choice.get("tools");
        if (tools == null || !tools.isArray()) {
            throw tools == null || tools.isNull() ? RequestErrors.missing("tool_choice.tools")
                    : RequestErrors.type("tool_choice.tools", "an array", tools);
        }
        ObjectNode chat = Json.object();
        chat.put("type", "allowed_tools");
        ObjectNode allowed = chat.putObject("allowed_tools");
        allowed.put("mode", mode);
        ArrayNode named = allowed.putArray("tools");
        for (int i = 0; i < tools.size(); i++) {
            String param = "tool_choice.tools[" + i + "]";
            if (!"function".equals(tools.get(i).path("type").asText())) {
                throw RequestErrors.unsupported(param + ".type", "Only function tools can be allowed.");
            }
            named.add(namedFunction(RequestErrors.text(tools.get(i).get("name"), param + ".name")));
        }
        return chat;
    }

    private static ObjectNode namedFunction(String name) {
        ObjectNode named = Json.object();
        named.put("type", "function");
        named.putObject("function").put("name", name);
        return named;
    }

    /** Sets chat's {@code response_format} and {@code verbosity} from the request's {@code text} object. */
    static void text(JsonNode text, ObjectNode chat) {
        JsonNode format = text.get("format");
        if (format != null && !format.isNull()) {
            responseFormat(format).ifPresent(converted -> chat.set("response_format", converted));
        }
        JsonNode verbosity = text.get("verbosity");
        if (verbosity != null && !verbosity.isNull()) {
            String value = RequestErrors.text(verbosity, "text.verbosity");
            if (!VERBOSITY.contains(value)) {
                throw RequestErrors.value("text.verbosity", value, VERBOSITY);
            }
            chat.put("verbosity", value);
        }
    }

    private static Optional<ObjectNode> responseFormat(JsonNode format) {
        if (!format.isObject()) {
            throw RequestErrors.type("text.format", "an object", format);
        }
        String type = RequestErrors.text(format.get("type"), "text.format.type");
        ObjectNode chat = Json.object();
        switch (type) {
            case "text" -> {
                return Optional.empty();
            }
            case "json_object" -> chat.put("type", "json_object");
            case "json_schema" -> {
                chat.put("type", "json_schema");
                ObjectNode schema = chat.putObject("json_schema");
                schema.put("name", RequestErrors.text(format.get("name"), "text.format.name"));
                copy(format, schema, "description", "text.format", JsonKind.STRING);
                JsonNode body = format.get("schema");
                if (body == null || body.isNull()) {
                    throw RequestErrors.missing("text.format.schema");
                }
                copy(format, schema, "schema", "text.format", JsonKind.OBJECT);
                copy(format, schema, "strict", "text.format", JsonKind.BOOLEAN);
            }
            default -> throw RequestErrors.value("text.format.type", type,
                    List.of("text", "json_object", "json_schema"));
        }
        return Optional.of(chat);
    }

    /** Copies an optional field of the expected kind; JSON null counts as absent. */
    private static void copy(JsonNode from, ObjectNode to, String field, String param, JsonKind kind) {
        JsonNode value = from.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!kind.matches(value)) {
            throw RequestErrors.type(param + "." + field, kind.description(), value);
        }
        to.set(field, value);
    }

    /** The JSON shapes a copied field may need. */
    private enum JsonKind {
        STRING("a string"), OBJECT("an object"), BOOLEAN("a boolean");

        private final String description;

        JsonKind(String description) {
            this.description = description;
        }

        boolean matches(JsonNode value) {
            return switch (this) {
                case STRING -> value.isTextual();
                case OBJECT -> value.isObject();
                case BOOLEAN -> value.isBoolean();
            };
        }

        String description() {
            return description;
        }
    }
}
