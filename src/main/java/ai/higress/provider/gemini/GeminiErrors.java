package ai.higress.provider.gemini;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.ErrorBodies;
import ai.higress.provider.RetryAfter;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamErrors;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Classifies Google's error envelope {@code {"error":{"code","message","status","details":[...]}}}. The canonical
 * {@code status} decides the kind (the HTTP status only when it is missing); a key Google rejects is AUTH even though
 * it comes as a 400 {@code INVALID_ARGUMENT} (its {@code ErrorInfo.reason} starts with {@code API_KEY_}); an input over
 * the model's token limit is CONTEXT_TOO_LONG; a {@code RetryInfo.retryDelay} is the Retry-After.
 */
final class GeminiErrors {
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);
    private static final int MAX_MESSAGE = 1000;
    private static final Pattern DELAY = Pattern.compile("(\\d+(?:\\.\\d+)?)s");
    private static final Pattern TOO_LONG = Pattern.compile(
            "input token count.*exceeds|exceeds the maximum number of tokens",
            Pattern.CASE_INSENSITIVE);

    private GeminiErrors() {
    }

    /** An error answer ({@code status} 4xx or 5xx). */
    static UpstreamException classify(Target target, int status, Map<String, String> headers, byte[] body,
                                      Instant now) {
        JsonNode error = parse(body).path("error");
        String message = error.path("message").isTextual() ? clean(error.get("message").asText())
                : ErrorBodies.read(status, body, headers.getOrDefault("content-type", "")).message();
        return classify(target, status, error, message, retryAfter(error).or(() -> RetryAfter.parse(headers, now)));
    }

    /** An error object where a result was expected: in a 200 answer, or as an event of a stream. */
    static UpstreamException fromErrorObject(Target target, JsonNode root) {
        JsonNode error = root.path("error");
        int status = error.path("code").asInt(500);
        String message = clean(error.path("message").asText("upstream reported error " + status));
        return classify(target, status, error, message, retryAfter(error));
    }

    private static UpstreamException classify(Target target, int status, JsonNode error, String message,
                                              Optional<Duration> retryAfter) {
        String canonical = error.path("status").asText("");
        ErrorKind kind = kindOf(status, canonical, message, error);
        Optional<String> code = switch (kind) {
            case CONTEXT_TOO_LONG -> Optional.of("context_length_exceeded");
            case NOT_FOUND -> Optional.of("model_not_found");
            default -> canonical.isEmpty() ? Optional.empty() : Optional.of(canonical.toLowerCase(Locale.ROOT));
        };
        Optional<String> param = kind == ErrorKind.NOT_FOUND ? Optional.of("model") : Optional.empty();
        return UpstreamErrors.answered(target, kind, status, message, param, code, retryAfter);
    }

    static ErrorKind kindOf(int status, String canonical, String message, JsonNode error) {
        if (apiKeyRejected(error)) {
            return ErrorKind.AUTH;
        }
        ErrorKind kind = byCanonicalStatus(status, canonical);
        return kind == ErrorKind.BAD_REQUEST && TOO_LONG.matcher(message).find() ? ErrorKind.CONTEXT_TOO_LONG : kind;
    }

    private static ErrorKind byCanonicalStatus(int status, String canonical) {
        return switch (canonical) {
            case "INVALID_ARGUMENT", "OUT_OF_RANGE", "UNIMPLEMENTED" -> ErrorKind.BAD_REQUEST;
            // the account cannot serve from here (unsupported location, billing required): another provider can
            case "FAILED_PRECONDITION", "PERMISSION_DENIED", "UNAUTHENTICATED" -> ErrorKind.AUTH;
            case "NOT_FOUND" -> ErrorKind.NOT_FOUND;
            case "RESOURCE_EXHAUSTED" -> ErrorKind.RATE_LIMITED;
            case "UNAVAILABLE" -> ErrorKind.OVERLOADED;
            case "DEADLINE_EXCEEDED" -> ErrorKind.TIMEOUT;
            case "INTERNAL", "UNKNOWN", "DATA_LOSS", "ABORTED", "CANCELLED" -> ErrorKind.SERVER;
            default -> byStatus(status);
        };
    }

    private static ErrorKind byStatus(int status) {
        return switch (status) {
            case 400, 409, 413, 415, 422 -> ErrorKind.BAD_REQUEST;
            case 401, 403 -> ErrorKind.AUTH;
            case 404 -> ErrorKind.NOT_FOUND;
            case 408, 504 -> ErrorKind.TIMEOUT;
            case 429 -> ErrorKind.RATE_LIMITED;
            case 503, 529 -> ErrorKind.OVERLOADED;
            default -> status >= 500 || status < 400 ? ErrorKind.SERVER : ErrorKind.BAD_REQUEST;
        };
    }

    private static boolean apiKeyRejected(JsonNode error) {
        for (JsonNode detail : error.path("details")) {
            if (detail.path("@type").asText().endsWith("google.rpc.ErrorInfo")
                    && detail.path("reason").asText().startsWith("API_KEY_")) {
                return true;
            }
        }
        return false;
    }

    /** {@code RetryInfo.retryDelay}, a protobuf duration such as {@code "30s"} or {@code "1.5s"}. */
    static Optional<Duration> retryAfter(JsonNode error) {
        for (JsonNode detail : error.path("details")) {
            if (!detail.path("@type").asText().endsWith("google.rpc.RetryInfo")) {
                continue;
            }
            Matcher delay = DELAY.matcher(detail.path("retryDelay").asText("").strip());
            if (delay.matches()) {
                Duration parsed = Duration.ofMillis((long) Math.ceil(Double.parseDouble(delay.group(1)) * 1000));
                return Optional.of(parsed.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : parsed);
            }
        }
        return Optional.empty();
    }

    /** The envelope; the streaming endpoint may wrap it in a one-element array. */
    private static JsonNode parse(byte[] body) {
        try {
            JsonNode root = body.length == 0 ? null : Json.MAPPER.readTree(body);
            if (root != null && root.isArray() && root.size() == 1) {
                root = root.get(0);
            }
            return root == null || !root.isObject() ? Json.object() : root;
        } catch (IOException e) {
            return Json.object();
        }
    }

    private static String clean(String message) {
        String flat = message.replace('\r', ' ').replace('\n', ' ').strip();
        return flat.length() <= MAX_MESSAGE ? flat : flat.substring(0, MAX_MESSAGE) + "…";
    }
}
