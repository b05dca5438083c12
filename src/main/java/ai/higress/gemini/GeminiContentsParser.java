package ai.higress.gemini;

import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Gemini {@code contents}, {@code systemInstruction}, {@code tools} and {@code toolConfig} as canonical messages and
 * tools. Gemini's function calls may carry no id, and its function responses answer a call by name: calls get
 * positional ids ({@code call_0}, ...) and each response takes the oldest unanswered call of its name.
 */
final class GeminiContentsParser {

    private GeminiContentsParser() {
    }

    static ArrayNode messages(JsonNode original) {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        JsonNode system = GeminiRequestParser.either(original, "systemInstruction", "system_instruction");
        if (!system.isMissingNode() && !system.isNull()) {
            StringBuilder text = new StringBuilder();
            JsonNode parts = Refusal.array(Refusal.object(system, "systemInstruction").path("parts"),
                    "systemInstruction.parts");
            for (int i = 0; i < parts.size(); i++) {
                text.append(Refusal.text(parts.get(i).path("text"), "systemInstruction.parts[" + i + "].text"));
            }
            messages.addObject().put("role", "system").put("content", text.toString());
        }
        JsonNode contents = Refusal.array(original.path("contents"), "contents");
        if (contents.isEmpty()) {
            throw Refusal.invalid("contents", "contents is not specified.");
        }
        Map<String, Deque<String>> pending = new HashMap<>();
        for (int i = 0; i < contents.size(); i++) {
            content(Refusal.object(contents.get(i), "contents[" + i + "]"), "contents[" + i + "]", pending,
                    messages);
        }
        return messages;
    }

    private static void content(JsonNode content, String field, Map<String, Deque<String>> pending,
                                ArrayNode messages) {
        String role = content.path("role").asText("user");
        if (!role.equals("user") && !role.equals("model")) {
            throw Refusal.invalid(field + ".role", "Please use a valid role: user, model.");
        }
        JsonNode parts = Refusal.array(content.path("parts"), field + ".parts");
        ArrayNode userParts = Json.MAPPER.createArrayNode();
        StringBuilder text = new StringBuilder();
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (int i = 0; i < parts.size(); i++) {
            JsonNode part = Refusal.object(parts.get(i), field + ".parts[" + i + "]");
            String at = field + ".parts[" + i + "]";
            if (part.path("thought").asBoolean(false)) {
                continue; // the model's own earlier thoughts have no canonical place
            }
            if (part.has("text")) {
                String value = Refusal.text(part.get("text"), at + ".text");
                text.append(value);
                userParts.addObject().put("type", "text").put("text", value);
            } else if (part.has("inlineData") && role.equals("user")) {
                userParts.add(GeminiParts.inlineData(part.get("inlineData"), at + ".inlineData"));
            } else if (part.has("functionCall") && role.equals("model")) {
                calls.add(GeminiParts.functionCall(part.get("functionCall"), at + ".functionCall", pending,
                        messages.size() + "_" + i));
            } else if (part.has("functionResponse") && role.equals("user")) {
                messages.add(GeminiParts.functionResponse(part.get("functionResponse"), at + ".functionResponse",
                        pending));
            } else {
                throw Refusal.invalid(at, "This kind of part is not supported for role " + role + ".");
            }
        }
        if (role.equals("model")) {
            ObjectNode message = messages.addObject().put("role", "assistant");
            if (!text.isEmpty() || calls.isEmpty()) {
                message.put("content", text.toString());
            } else {
                message.putNull("content");
            }
            if (!calls.isEmpty()) {
                message.set("tool_calls", calls);
            }
        } else if (!userParts.isEmpty()) {
            messages.addObject().put("role", "user").set("content", userParts);
        }
    }

    static void tools(JsonNode original, ObjectNode canonical) {
        JsonNode tools = original.path("tools");
        ArrayNode declared = Json.MAPPER.createArrayNode();
        if (!tools.isMissingNode() && !tools.isNull()) {
            for (int i = 0; i < Refusal.array(tools, "tools").size(); i++) {
                JsonNode tool = Refusal.object(tools.get(i), "tools[" + i + "]");
                for (String kind : GeminiRequestParser.iterable(tool.fieldNames())) {
                    if (!kind.equals("functionDeclarations") && !kind.equals("function_declarations")) {
                        throw Refusal.invalid("tools[" + i + "]." + kind, "Only functionDeclarations are supported.");
                    }
                }
                JsonNode functions = GeminiRequestParser.either(tool, "functionDeclarations", "function_declarations");
                for (int j = 0; j < Refusal.array(functions, "tools[" + i + "].functionDeclarations").size(); j++) {
                    declared.add(GeminiParts.declaration(functions.get(j),
                            "tools[" + i + "].functionDeclarations[" + j + "]"));
                }
            }
        }
        if (!declared.isEmpty()) {
            canonical.set("tools", declared);
        }
        JsonNode config = GeminiRequestParser.either(original, "toolConfig", "tool_config");
        if (!config.isMissingNode() && !config.isNull()) {
            toolChoice(Refusal.object(config, "toolConfig"), !declared.isEmpty(), canonical);
        }
    }

    private static void toolChoice(JsonNode config, boolean hasTools, ObjectNode canonical) {
        JsonNode calling = config.path("functionCallingConfig");
        if (calling.isMissingNode() || !hasTools) {
            return;
        }
        String mode = calling.path("mode").asText("AUTO");
        JsonNode allowed = calling.path("allowedFunctionNames");
        switch (mode) {
            case "AUTO", "MODE_UNSPECIFIED" -> canonical.put("tool_choice", "auto");
            case "NONE" -> canonical.put("tool_choice", "none");
            case "ANY" -> {
                if (allowed.size() == 1) {
                    canonical.putObject("tool_choice").put("type", "function").putObject("function")
                            .put("name", Refusal.text(allowed.get(0), "toolConfig.functionCallingConfig"
                                    + ".allowedFunctionNames[0]"));
                } else if (allowed.size() > 1) {
                    throw Refusal.invalid("toolConfig.functionCallingConfig.allowedFunctionNames",
                            "At most one allowed function name is supported.");
                } else {
                    canonical.put("tool_choice", "required");
                }
            }
            default -> throw Refusal.invalid("toolConfig.functionCallingConfig.mode",
                    "Expected AUTO, ANY or NONE.");
        }
    }
}
