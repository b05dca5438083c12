package ai.higress.provider.anthropic;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Tools, {@code tool_choice}, {@code parallel_tool_calls} and JSON output. Anthropic has no JSON response mode on the
 * pinned API version, so {@code response_format} {@code json_object} / {@code json_schema} becomes one forced tool
 * whose input schema is the requested schema; the answer's translators turn that tool's input back into the message
 * content. It cannot be combined with the client's own tools or with extended thinking (which forbids forced tools).
 */
final class ToolMapping {
    /** The forced tool that carries a JSON answer. */
    static final String JSON_TOOL = "json_response";

    private ToolMapping() {
    }

    /** Whether {@code body} asks for JSON output, which the answer then carries in {@link #JSON_TOOL}'s input. */
    static boolean jsonMode(JsonNode body) {
        String type = body.path("response_format").path("type").asText("");
        return type.equals("json_object") || type.equals("json_schema");
    }

    /** Sets {@code tools} and {@code tool_choice} on {@code out} from the canonical {@code body}. */
    static void apply(JsonNode body, ObjectNode out, boolean thinking) {
        JsonNode tools = body.path("tools");
        boolean hasTools = tools.isArray() && !tools.isEmpty();
        if (jsonMode(body)) {
            if (hasTools) {
                throw Refusals.value("response_format", "cannot be combined with 'tools' on Anthropic models "
                        + "(JSON output is produced through a forced tool)");
            }
            if (thinking) {
                throw Refusals.value("response_format", "cannot be combined with 'reasoning_effort' on Anthropic "
                        + "models (extended thinking does not allow a forced tool)");
            }
            out.putArray("tools").add(jsonTool(body.path("response_format")));
            out.putObject("tool_choice").put("type", "tool").put("name", JSON_TOOL);
            return;
        }
        checkResponseFormat(body.path("response_format"));
        if (hasTools) {
            ArrayNode converted = out.putArray("tools");
            for (int i = 0; i < tools.size(); i++) {
                converted.add(tool(tools.get(i), "tools[" + i + "]"));
            }
        }
        toolChoice(body, hasTools, thinking).ifPresent(choice -> out.set("tool_choice", choice));
    }

    private static void checkResponseFormat(JsonNode format) {
        if (format.isMissingNode() || format.isNull()) {
            return;
        }
        String type = format.path("type").asText("");
        if (!type.equals("text")) {
            throw Refusals.value("response_format.type", "'" + type + "' is not supported with Anthropic models "
                    + "(supported: text, json_object, json_schema)");
        }
    }

    private static ObjectNode tool(JsonNode tool, String param) {
        String type = tool.path("type").asText("");
        if (!type.equals("function")) {
            throw Refusals.value(param + ".type", "'" + type + "' tools have no Anthropic equivalent (supported: "
                    + "function)");
        }
        JsonNode function = tool.path("function");
        ObjectNode converted = Json.object().put("name", function.path("name").asText(""));
        if (function.hasNonNull("description")) {
            converted.put("description", function.get("description").asText());
        }
        JsonNode parameters = function.get("parameters");
        // OpenAI lets a function without parameters take none; Anthropic always wants an object schema
        converted.set("input_schema", parameters != null && parameters.isObject() ? parameters.deepCopy()
                : Json.object().put("type", "object").set("properties", Json.object()));
        ContentParts.copyCacheControl(tool.get("cache_control"), converted);
        return converted;
    }

    private static java.util.Optional<ObjectNode> toolChoice(JsonNode body, boolean hasTools, boolean thinking) {
        JsonNode choice = body.get("tool_choice");
        String mode = choice == null || choice.isNull() ? "auto"
                : choice.isTextual() ? choice.asText() : choice.path("type").asText("");
        boolean forced = !mode.equals("auto") && !mode.equals("none");
        if (!hasTools) {
            if (forced) {
                throw Refusals.invalid("tool_choice", "'" + mode + "' needs 'tools'");
            }
            return java.util.Optional.empty();
        }
        if (forced && thinking) {
            throw Refusals.value("tool_choice", "must be 'auto' or 'none' with 'reasoning_effort' on Anthropic "
                    + "models (extended thinking does not allow forcing a tool)");
        }
        ObjectNode converted = Json.object();
        switch (mode) {
            case "auto", "none" -> converted.put("type", mode);
            case "required" -> converted.put("type", "any");
            case "function" -> converted.put("type", "tool").put("name",
                    choice.path("function").path("name").asText(""));
            default -> throw Refusals.value("tool_choice", "'" + mode + "' is not supported with Anthropic models "
                    + "(supported: auto, none, required, a named function)");
        }
        JsonNode parallel = body.get("parallel_tool_calls");
        if (parallel != null && parallel.isBoolean() && !parallel.asBoolean() && !mode.equals("none")) {
            converted.put("disable_parallel_tool_use", true);
        }
        boolean defaultChoice = (choice == null || choice.isNull()) && converted.size() == 1;
        return defaultChoice ? java.util.Optional.empty() : java.util.Optional.of(converted);
    }

    private static ObjectNode jsonTool(JsonNode format) {
        ObjectNode tool = Json.object().put("name", JSON_TOOL);
        if (format.path("type").asText().equals("json_object")) {
            tool.put("description", "Answer with a JSON object.");
            tool.putObject("input_schema").put("type", "object");
            return tool;
        }
        JsonNode spec = format.path("json_schema");
        JsonNode schema = spec.path("schema");
        if (!schema.isObject() || !"object".equals(schema.path("type").asText())) {
            throw Refusals.value("response_format.json_schema.schema", "must describe a JSON object (type: "
                    + "object) for Anthropic models");
        }
        tool.put("description", spec.hasNonNull("description") ? spec.get("description").asText()
                : "Answer with JSON that matches the input schema.");
        tool.set("input_schema", schema.deepCopy());
        return tool;
    }
}
