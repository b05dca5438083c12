package ai.higress.provider.openai;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.ErrorBodies;
import ai.higress.provider.RetryAfter;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamErrors;

import com.fasterxml.jackson.databind.JsonNode;

/** Maps OpenAI-style error answers (status plus envelope) to an {@link ErrorKind}. */
final class OpenAiErrors {

    private OpenAiErrors() {
    }

    static UpstreamException classify(Target target, int status, ErrorBodies error, Optional<Duration> retryAfter) {
        ErrorKind kind = kindOf(status, error);
        Optional<String> code = error.code().isEmpty() ? Optional.empty() : Optional.of(error.code());
        Optional<String> param = error.param().isEmpty() ? Optional.empty() : Optional.of(error.param());
        return UpstreamErrors.answered(target, kind, status, error.message(), param, code, retryAfter);
    }

    /** An error object found where a result was expected (a 200 answer, or an event inside a stream). */
    static UpstreamException fromErrorObject(Target target, int status, JsonNode root, Map<String, String> headers,
                                             Instant now) {
        ErrorBodies error = ErrorBodies.read(status, root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json");
        int effectiveStatus = status >= 400 ? status : statusOf(root.path("error"));
        return classify(target, effectiveStatus, error, RetryAfter.parse(headers, now));
    }

    static ErrorKind kindOf(int status, ErrorBodies error) {
        String code = error.code() + " " + error.type();
        if (code.contains("context_length_exceeded") || code.contains("string_above_max_length")) {
            return ErrorKind.CONTEXT_TOO_LONG;
        }
        if (code.contains("content_filter") || code.contains("content_policy_violation")) {
            return ErrorKind.CONTENT_FILTERED;
        }
        return switch (status) {
            case 400, 413, 415, 422 -> ErrorKind.BAD_REQUEST;
            case 401, 403 -> ErrorKind.AUTH;
            case 404 -> ErrorKind.NOT_FOUND;
            case 408 -> ErrorKind.TIMEOUT;
            case 429 -> ErrorKind.RATE_LIMITED;
            case 503, 529 -> ErrorKind.OVERLOADED;
            default -> status >= 500 || status < 400 ? ErrorKind.SERVER : ErrorKind.BAD_REQUEST;
        };
    }

    private static int statusOf(JsonNode error) {
        String type = error.path("type").asText("");
        return switch (type) {
            case "invalid_request_error" -> 400;
            case "rate_limit_error", "requests", "tokens" -> 429;
            case "overloaded_error" -> 529;
            default -> 500;
        };
    }
}
