package ai.higress.provider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Extracts what an upstream error body says, for any protocol whose errors are JSON. A body that is not JSON (an HTML
 * page from a proxy, a plain-text message) is summarised, never echoed.
 *
 * @param message a message fit for the client
 * @param type    the upstream's error type, empty when none
 * @param code    the upstream's error code, empty when none
 * @param param   the parameter the upstream complained about, empty when none
 */
public record ErrorBodies(String message, String type, String code, String param) {
    private static final int MAX_MESSAGE = 1000;

    /** Reads an OpenAI-style envelope ({@code {"error":{...}}} or a bare {@code {"message":...}}). */
    public static ErrorBodies read(int status, byte[] body, String contentType) {
        Optional<JsonNode> json = parse(body);
        if (json.isEmpty()) {
            String kind = contentType.contains("html") ? "an HTML page" : "a non-JSON body";
            return new ErrorBodies("upstream answered HTTP " + status + " with " + kind, "", "", "");
        }
        JsonNode root = json.get();
        JsonNode error = root.has("error") ? root.get("error") : root;
        if (error.isTextual()) {
            return new ErrorBodies(truncate(error.asText()), "", "", "");
        }
        String message = text(error, "message");
        return new ErrorBodies(message.isEmpty() ? "upstream answered HTTP " + status : truncate(message),
                text(error, "type"), codeOf(error), text(error, "param"));
    }

    private static Optional<JsonNode> parse(byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String codeOf(JsonNode error) {
        JsonNode code = error.get("code");
        if (code == null || code.isNull()) {
            return "";
        }
        return code.asText();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    private static String truncate(String message) {
        String clean = message.replace('\r', ' ').replace('\n', ' ');
        return clean.length() <= MAX_MESSAGE ? clean : clean.substring(0, MAX_MESSAGE) + "…";
    }

    /** The body as text for diagnostics; only for logs at debug level, never for clients. */
    public static String preview(byte[] body) {
        return new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    }
}
