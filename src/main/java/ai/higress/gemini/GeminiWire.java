package ai.higress.gemini;

import java.io.IOException;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Pieces of a {@code GenerateContentResponse} shared by whole answers and streamed events. */
final class GeminiWire {

    private GeminiWire() {
    }

    /** Gemini's finish reason for a canonical one; a function call ends with STOP on Gemini too. */
    static String finishReason(String canonical) {
        return switch (canonical) {
            case "length" -> "MAX_TOKENS";
            case "content_filter" -> "SAFETY";
            default -> "STOP";
        };
    }

    static ObjectNode usageMetadata(Usage usage) {
        ObjectNode metadata = Json.object();
        metadata.put("promptTokenCount", usage.promptTokens());
        metadata.put("candidatesTokenCount", usage.completionTokens() - usage.reasoningTokens());
        metadata.put("totalTokenCount", usage.totalTokens());
        if (usage.cachedTokens() > 0) {
            metadata.put("cachedContentTokenCount", usage.cachedTokens());
        }
        if (usage.reasoningTokens() > 0) {
            metadata.put("thoughtsTokenCount", usage.reasoningTokens());
        }
        return metadata;
    }

    /** A response object with one candidate holding {@code parts}; the finish reason is the caller's to add. */
    static ObjectNode response(JsonNode parts, String model, String responseId) {
        ObjectNode response = Json.object();
        ObjectNode candidate = response.putArray("candidates").addObject();
        candidate.putObject("content").put("role", "model").set("parts", parts);
        candidate.put("index", 0);
        if (!model.isEmpty()) {
            response.put("modelVersion", model);
        }
        if (!responseId.isEmpty()) {
            response.put("responseId", responseId);
        }
        return response;
    }

    static ObjectNode candidate(ObjectNode response) {
        return (ObjectNode) response.get("candidates").get(0);
    }

    /** A function call part; chat arguments are a JSON string, Gemini's {@code args} an object. */
    static ObjectNode functionCall(String id, String name, JsonNode arguments) {
        ObjectNode part = Json.object();
        ObjectNode call = part.putObject("functionCall");
        if (!id.isEmpty()) {
            call.put("id", id);
        }
        call.put("name", name).set("args", args(name, arguments));
        return part;
    }

    private static ObjectNode args(String name, JsonNode arguments) {
        if (arguments.isObject()) {
            return (ObjectNode) arguments.deepCopy();
        }
        String text = arguments.isTextual() ? arguments.textValue() : "";
        if (text.isBlank()) {
            return Json.object();
        }
        try {
            JsonNode parsed = Json.MAPPER.readTree(text);
            if (parsed != null && parsed.isObject()) {
                return (ObjectNode) parsed;
            }
        } catch (IOException e) {
            // reported below
        }
        throw protocolError("the arguments of the call of function '" + name + "' are not a JSON object");
    }

    static UpstreamException protocolError(String problem) {
        return UpstreamException.transport(ErrorKind.PROTOCOL, "the upstream's answer cannot be translated to the "
                + "Gemini API: " + problem);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.textValue() : "";
    }
}
