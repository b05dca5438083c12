package ai.higress.provider.gemini;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code tools}, {@code tool_choice} and {@code parallel_tool_calls} as Gemini's {@code tools[].functionDeclarations}
 * and {@code toolConfig.functionCallingConfig}.
 */
final class GeminiTools {

    private GeminiTools() {
    }

    /** Adds the request's function declarations and calling mode to {@code body}. */
    static void translate(ObjectNode canonical, ObjectNode body) {
        Set<String> declared = declarations(canonical.get("tools"), body);
        JsonNode parallel = canonical.get("parallel_tool_calls");
        if (parallel != null && parallel.isBoolean() && !parallel.asBoolean()) {
            throw Refusals.unsupported("parallel_tool_calls", "Gemini providers cannot be told to call at most one "
                    + "function at a time; leave 'parallel_tool_calls' unset or true.");
        }
        JsonNode choice = canonical.get("tool_choice");
        if (choice != null && !choice.isNull()) {
            toolChoice(choice, declared, body);
        }
    }

    private static Set<String> declarations(JsonNode tools, ObjectNode body) {
        Set<String> names = new LinkedHashSet<>();
        if (tools == null || tools.isNull() || tools.isEmpty()) {
            return names;
        }
        ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String param = "tools[" + i + "]";
            if (!"function".equals(tool.path("type").asText())) {
                throw Refusals.unsupported(param + ".type", "Only tools of type 'function' can be sent to a Gemini "
                        + "provider, but '" + param + ".type' is '" + tool.path("type").asText() + "'.");
            }
            declarations.add(declaration(tool.path("function"), param + ".function"));
            names.add(tool.path("function").path("name").asText());
        }
        return names;
    }

    private static ObjectNode declaration(JsonNode function, String param) {
        JsonNode name = function.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw Refusals.invalid(param + ".name", "Missing required parameter: '" + param + ".name'.");
        }
        ObjectNode declaration = Json.object().put("name", name.asText());
        if (function.path("description").isTextual()) {
            declaration.put("description", function.get("description").asText());
        }
        JsonNode parameters = function.get("parameters");
        // a function without parameters is declared without a schema: Gemini rejects an object with no properties
        if (parameters != null && !parameters.isNull() && !GeminiSchemas.isEmptyObject(parameters)) {
            declaration.set("parameters", GeminiSchemas.convert(parameters, param + ".parameters"));
        }
        return declaration;
    }

    /** Gemini's calling mode and the functions it may call (empty: any declared function). */
    private record Choice(String mode, List<String> allowed) {
    }

    private static void toolChoice(JsonNode choice, Set<String> declared, ObjectNode body) {
        Choice mapped = choice(choice);
        if (declared.isEmpty()) {
            if (mapped.mode().equals("NONE")) {
                return;
            }
            throw Refusals.invalid("tool_choice", "'tool_choice' is only allowed when 'tools' are specified.");
        }
        for (String name : mapped.allowed()) {
            if (!declared.contains(name)) {
                throw Refusals.invalid("tool_choice", "'tool_choice' names the function '" + name
                        + "', which is not among the declared 'tools'.");
            }
        }
        ObjectNode config = body.putObject("toolConfig").putObject("functionCallingConfig").put("mode", mapped.mode());
        if (!mapped.allowed().isEmpty()) {
            mapped.allowed().forEach(config.putArray("allowedFunctionNames")::add);
        }
    }

    private static Choice choice(JsonNode choice) {
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "auto" -> new Choice("AUTO", List.of());
                case "none" -> new Choice("NONE", List.of());
                case "required" -> new Choice("ANY", List.of());
                default -> throw Refusals.invalid("tool_choice", "Invalid value for 'tool_choice': '"
                        + choice.asText() + "'. Supported values are 'auto', 'none' and 'required'.");
            };
        }
        String type = choice.path("type").asText();
        if (type.equals("function")) {
            return new Choice("ANY", List.of(choice.path("function").path("name").asText()));
        }
        if (type.equals("allowed_tools")) {
            if (!"required".equals(choice.path("allowed_tools").path("mode").asText())) {
                throw Refusals.unsupported("tool_choice.allowed_tools.mode", "Gemini can restrict the callable "
                        + "functions only when a call is required; use mode 'required' or declare fewer tools.");
            }
            return new Choice("ANY", choice.path("allowed_tools").path("tools").findValuesAsText("name"));
        }
        throw Refusals.unsupported("tool_choice", "This 'tool_choice' cannot be sent to a Gemini provider; use "
                + "'auto', 'none', 'required' or a function.");
    }
}
