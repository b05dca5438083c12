package ai.higress.messages;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static ai.higress.messages.Fields.invalid;
import static ai.higress.messages.Fields.path;
import static ai.higress.messages.Fields.requiredObject;
import static ai.higress.messages.Fields.requiredText;

/**
 * Client tools and the tool choice of a Messages request as chat-completions functions. Server tools (web search,
 * code execution, computer use, ...) run inside Anthropic's API, which a chat upstream cannot do: they are refused.
 */
final class ToolTranslator {

    private ToolTranslator() {
    }

    /** {@code tools} as chat-completions function tools. */
    static ArrayNode tools(JsonNode tools) {
        Fields.expect(tools, JsonNodeType.ARRAY, "tools");
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (int i = 0; i < tools.size(); i++) {
            String path = path("tools", i);
            JsonNode tool = Fields.expect(tools.get(i), JsonNodeType.OBJECT, path);
            if (Fields.present(tool, "type") && !"custom".equals(tool.get("type").asText())) {
                throw Fields.unsupported(path, "the server tool '" + tool.get("type").asText() + "'");
            }
            ObjectNode function = out.addObject().put("type", "function").putObject("function");
            String name = requiredText(tool, "name", path);
            if (name.isEmpty()) {
                throw invalid(path(path, "name"), "String should have at least 1 character");
            }
            function.put("name", name);
            if (Fields.present(tool, "description")) {
                function.put("description", requiredText(tool, "description", path));
            }
            function.set("parameters", requiredObject(tool, "input_schema", path).deepCopy());
            if (Fields.present(tool, "strict")) {
                function.set("strict", Fields.expect(tool.get("strict"), JsonNodeType.BOOLEAN, path(path, "strict")));
            }
        }
        return out;
    }

    /**
     * Sets {@code tool_choice} (and {@code parallel_tool_calls} for {@code disable_parallel_tool_use}) on the
     * canonical body. Chat upstreams refuse a tool choice without tools, so one that needs none is left out then.
     */
    static void toolChoice(JsonNode choice, boolean hasTools, ObjectNode canonical) {
        Fields.expect(choice, JsonNodeType.OBJECT, "tool_choice");
        String type = requiredText(choice, "type", "tool_choice");
        if (Fields.present(choice, "disable_parallel_tool_use")) {
            JsonNode disable = Fields.expect(choice.get("disable_parallel_tool_use"), JsonNodeType.BOOLEAN,
                    "tool_choice.disable_parallel_tool_use");
            if (disable.booleanValue() && hasTools) {
                canonical.put("parallel_tool_calls", false);
            }
        }
        switch (type) {
            case "auto", "none" -> {
                if (hasTools) {
                    canonical.put("tool_choice", type);
                }
            }
            case "any" -> {
                requireTools(hasTools, type);
                canonical.put("tool_choice", "required");
            }
            case "tool" -> {
                requireTools(hasTools, type);
                String name = requiredText(choice, "name", "tool_choice");
                ObjectNode named = canonical.putObject("tool_choice").put("type", "function");
                named.putObject("function").put("name", name);
            }
            default -> throw invalid("tool_choice.type", "Input should be 'auto', 'any', 'tool' or 'none'");
        }
    }

    private static void requireTools(boolean hasTools, String type) {
        if (!hasTools) {
            throw invalid("tool_choice", "tool_choice of type '" + type + "' needs at least one tool in 'tools'");
        }
    }
}
