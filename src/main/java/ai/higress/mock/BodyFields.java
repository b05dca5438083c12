package ai.higress.mock;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What every dialect's request parser reads the same way: the JSON object, positive integers, the text of message
 * content, the prompt size estimate, and the answer itself. Keeping the answer here means a question gets the same
 * reply whichever protocol it arrives in, which is what lets a test compare a translated answer with a direct one.
 */
final class BodyFields {

    private static final int CHARS_PER_TOKEN = 4;

    private BodyFields() {
    }

    static JsonNode readObject(ObjectMapper json, byte[] body) {
        try {
            JsonNode root = json.readTree(body);
            if (root == null || !root.isObject()) {
                throw MockApiError.invalidBody("The request body must be a JSON object.");
            }
            return root;
        } catch (IOException e) {
            throw MockApiError.invalidBody("We could not parse the JSON body of your request. (HINT: This likely "
                    + "means you aren't using your HTTP library correctly.)");
        }
    }

    /** {@code node.field} as an integer of at least 1, or {@code absent} when it is missing or null. */
    static int positiveInt(JsonNode node, String field, int absent) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return absent;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
            throw MockApiError.invalidRequest("Invalid '" + field + "': expected an integer of at least 1.", field);
        }
        return value.asInt();
    }

    /** The text of a content: a plain string, or the {@code text} fields of an array of parts or blocks. */
    static List<String> textParts(JsonNode content) {
        if (content.isTextual()) {
            return List.of(content.asText());
        }
        if (!content.isArray()) {
            return List.of();
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
                texts.add(part.path("text").asText());
            }
        }
        return texts;
    }

    /** The text parts of a content joined by spaces, as the answer quotes them. */
    static String joinedText(JsonNode content) {
        return String.join(" ", textParts(content));
    }

    /** Estimated prompt size: one token per four characters, at least one. */
    static int promptTokens(long chars) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN));
    }

    static long textLength(JsonNode content) {
        long chars = 0;
        for (String text : textParts(content)) {
            chars += text.length();
        }
        return chars;
    }

    /**
     * The mock's answer: a call of {@code forcedFunction} whose arguments quote the last user text, or a text reply
     * quoting it; cut to {@code maxPieces} tokens.
     */
    static Answer answer(ObjectMapper json, Optional<String> forcedFunction, String callId, String lastUserText,
            int maxPieces) {
        Answer answer = forcedFunction
                .<Answer>map(name -> Answer.toolCall(callId, name, argumentsJson(json, lastUserText)))
                .orElseGet(() -> Answer.text(lastUserText));
        return answer.limitTo(maxPieces);
    }

    private static String argumentsJson(ObjectMapper json, String lastUserText) {
        try {
            return json.writeValueAsString(Map.of("input", lastUserText));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a one-string map always serialises", e);
        }
    }
}
