package ai.higress.provider.gemini;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code messages} as Gemini's {@code systemInstruction} and {@code contents}. System and developer messages become
 * the system instruction (Gemini has one, so they are joined in order); user messages are {@code user} turns,
 * assistant messages {@code model} turns with {@code functionCall} parts, and tool results {@code functionResponse}
 * parts of a {@code user} turn, named after the call they answer. Consecutive turns of one role are merged, which is
 * also how the results of parallel calls end up in the one turn Gemini expects.
 */
final class GeminiContents {
    /** Google's documented value for a function call whose thought signature the history did not keep. */
    static final String SKIP_SIGNATURE = "skip_thought_signature_validator";

    private final boolean signaturesRequired;
    private final Map<String, String> callNames = new HashMap<>();
    private final ArrayNode system = Json.MAPPER.createArrayNode();
    private final ArrayNode contents = Json.MAPPER.createArrayNode();

    private GeminiContents(boolean signaturesRequired) {
        this.signaturesRequired = signaturesRequired;
    }

    /**
     * Adds {@code systemInstruction} (when there is one) and {@code contents} to {@code body}.
     *
     * @param signaturesRequired whether the model rejects a replayed function call without a thought signature
     */
    static void translate(JsonNode messages, boolean signaturesRequired, ObjectNode body) {
        GeminiContents translation = new GeminiContents(signaturesRequired);
        for (int i = 0; i < messages.size(); i++) {
            translation.message(messages.get(i), "messages[" + i + "]");
        }
        if (translation.contents.isEmpty()) {
            throw Refusals.invalid("messages", "A Gemini provider needs at least one user or assistant message "
                    + "besides the system messages.");
        }
        if (!translation.system.isEmpty()) {
            body.putObject("systemInstruction").set("parts", translation.system);
        }
        body.set("contents", translation.contents);
    }

    private void message(JsonNode message, String param) {
        switch (message.path("role").asText()) {
            case "system", "developer" -> system.addAll(textOnly(message.get("content"), param + ".content"));
            case "user" -> append("user", GeminiParts.user(message.get("content"), param + ".content"));
            case "assistant" -> append("model", assistant(message, param));
            case "tool" -> append("user", Json.MAPPER.createArrayNode().add(toolResult(message, param)));
            default -> throw Refusals.unsupported(param + ".role", "Messages with role '"
                    + message.path("role").asText() + "' (deprecated function calling) cannot be sent to a Gemini "
                    + "provider; use tools and tool messages.");
        }
    }

    private void append(String role, ArrayNode parts) {
        if (parts.isEmpty()) {
            return;
        }
        JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
        if (last != null && role.equals(last.path("role").asText())) {
            ((ArrayNode) last.get("parts")).addAll(parts);
            return;
        }
        ObjectNode content = contents.addObject().put("role", role);
        content.set("parts", parts);
    }

    private ArrayNode assistant(JsonNode message, String param) {
        for (String field : new String[] {"audio", "function_call"}) {
            if (message.hasNonNull(field)) {
                throw Refusals.unsupported(param + "." + field, "'" + param + "." + field + "' cannot be sent to a "
                        + "Gemini provider.");
            }
        }
        ArrayNode parts = Json.MAPPER.createArrayNode();
        for (JsonNode text : textOnly(message.get("content"), param + ".content")) {
            if (!text.path("text").asText().isEmpty()) {
                parts.add(text);
            }
        }
        JsonNode calls = message.path("tool_calls");
        for (int i = 0; i < calls.size(); i++) {
            parts.add(functionCall(calls.get(i), param + ".tool_calls[" + i + "]", i == 0));
        }
        return parts;
    }

    private ObjectNode functionCall(JsonNode call, String param, boolean first) {
        String id = call.path("id").asText("");
        String name = call.path("function").path("name").asText("");
        if (id.isEmpty() || name.isEmpty()) {
            throw Refusals.invalid(param, "'" + param + "' needs an 'id' and a 'function.name'.");
        }
        callNames.put(id, name);
        ObjectNode part = Json.object();
        part.putObject("functionCall").put("name", name).set("args",
                arguments(call.path("function").path("arguments"), param + ".function.arguments"));
        String signature = call.path("extra_content").path("google").path("thought_signature").asText("");
        if (!signature.isEmpty()) {
            part.put("thoughtSignature", signature);
        } else if (first && signaturesRequired) {
            // only the first call of a step carries a signature; without it Gemini 3 refuses the whole history
            part.put("thoughtSignature", SKIP_SIGNATURE);
        }
        return part;
    }

    private static JsonNode arguments(JsonNode arguments, String param) {
        if (arguments.isMissingNode() || arguments.isNull() || arguments.asText().isBlank()) {
            return Json.object();
        }
        try {
            JsonNode parsed = Json.MAPPER.readTree(arguments.asText());
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (IOException e) {
            // reported below
        }
        throw Refusals.invalid(param, "'" + param + "' must be a JSON object in a string: Gemini takes function "
                + "arguments as an object.");
    }

    private ObjectNode toolResult(JsonNode message, String param) {
        String id = message.path("tool_call_id").asText("");
        String name = callNames.get(id);
        if (name == null) {
            throw Refusals.invalid(param + ".tool_call_id", "'" + param + ".tool_call_id' ('" + id + "') does not "
                    + "match a tool call of an earlier assistant message; Gemini needs the function's name.");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : textOnly(message.get("content"), param + ".content")) {
            text.append(part.path("text").asText());
        }
        ObjectNode part = Json.object();
        // Gemini wants the response as an object; the tool's text is wrapped, not parsed, so nothing is reinterpreted
        part.putObject("functionResponse").put("name", name).putObject("response").put("content", text.toString());
        return part;
    }

    /** A string, or an array of text (and, for assistants, refusal) parts, as Gemini text parts. */
    private static ArrayNode textOnly(JsonNode content, String param) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isTextual()) {
            parts.addObject().put("text", content.asText());
            return parts;
        }
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String type = part.path("type").asText();
            if (!type.equals("text") && !type.equals("refusal")) {
                throw Refusals.unsupported(param + "[" + i + "].type", "Only text can be sent in '" + param
                        + "' to a Gemini provider, not '" + type + "'.");
            }
            parts.addObject().put("text", part.path(type).asText());
        }
        return parts;
    }
}
