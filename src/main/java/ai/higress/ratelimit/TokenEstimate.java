package ai.higress.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The tokens reserved at admission: the prompt estimated as one token per four characters of the messages' text,
 * plus the completion the request allows ({@code max_completion_tokens}, else {@code max_tokens}, else the
 * configured default). Deliberately cheap: the reservation is reconciled with the real usage afterwards.
 */
public final class TokenEstimate {
    private static final java.util.Set<String> BINARY_PARTS = java.util.Set.of("image_url", "input_audio", "file");

    private TokenEstimate() {
    }

    public static long of(JsonNode body, int defaultMaxTokens) {
        return promptTokens(body.path("messages")) + completionTokens(body, defaultMaxTokens);
    }

    /**
     * The estimate for a prompt: one token per four characters of the text in {@code prompt} (messages, tool
     * definitions, or any other part of a canonical body), binary parts not counted.
     */
    public static long promptTokens(JsonNode prompt) {
        long chars = textLength(prompt);
        return (chars + 3) / 4;
    }

    /** The estimated tokens of one text, by the same rule: a token per four characters, rounded up. */
    public static long textTokens(String text) {
        return (text.length() + 3L) / 4;
    }

    static long completionTokens(JsonNode body, int defaultMaxTokens) {
        for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
            JsonNode value = body.get(field);
            if (value != null && value.canConvertToLong() && value.asLong() > 0) {
                return value.asLong();
            }
        }
        return defaultMaxTokens;
    }

    private static long textLength(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().length();
        }
        long total = 0;
        if (node.isArray()) {
            for (JsonNode child : node) {
                total += textLength(child);
            }
        } else if (node.isObject()) {
            for (var field : node.properties()) {
                // binary parts (base64 images, audio, files) are not text: their size says nothing about tokens
                if (!BINARY_PARTS.contains(field.getKey())) {
                    total += textLength(field.getValue());
                }
            }
        }
        return total;
    }
}
