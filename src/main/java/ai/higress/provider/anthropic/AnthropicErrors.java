package ai.higress.provider.anthropic;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.ErrorBodies;
import ai.higress.provider.RetryAfter;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamErrors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Maps Anthropic error answers ({@code {"type":"error","error":{"type","message"}}}) to an {@link ErrorKind}, by the
 * error type first and the status second (a proxy in front of the API may answer with a status alone). A prompt
 * that does not fit the context window is an {@code invalid_request_error} whose message says so.
 */
final class AnthropicErrors {
    private static final Duration MAX_WAIT = Duration.ofHours(24);
    private static final String[] RESET_LIMITS = {"requests", "tokens", "input-tokens", "output-tokens"};

    private AnthropicErrors() {
    }

    static UpstreamException classify(Target target, int status, Map<String, String> headers, byte[] body,
                                      Instant now) {
        ErrorBodies error = ErrorBodies.read(status, body, headers.getOrDefault("content-type", ""));
        return classify(target, status, error, retryAfter(headers, now));
    }

    /** An {@code error} event inside a stream, or an error object where a message was expected. */
    static UpstreamException fromErrorObject(Target target, JsonNode root) {
        ErrorBodies error = ErrorBodies.read(200, root.toString().getBytes(StandardCharsets.UTF_8),
                "application/json");
        return classify(target, statusOf(error.type()), error, Optional.empty());
    }

    static UpstreamException classify(Target target, int status, ErrorBodies error, Optional<Duration> retryAfter) {
        ErrorKind kind = kindOf(status, error);
        Optional<String> code = kind == ErrorKind.CONTEXT_TOO_LONG ? Optional.of("context_length_exceeded")
                : Optional.empty();
        return UpstreamErrors.answered(target, kind, status, error.message(), Optional.empty(), code, retryAfter);
    }

    static ErrorKind kindOf(int status, ErrorBodies error) {
        String message = error.message().toLowerCase(Locale.ROOT);
        if ((status == 400 || status == 413 || error.type().equals("invalid_request_error"))
                && (message.contains("prompt is too long") || message.contains("exceed context limit")
                || message.contains("context window"))) {
            return ErrorKind.CONTEXT_TOO_LONG;
        }
        return switch (error.type()) {
            case "invalid_request_error", "request_too_large" -> ErrorKind.BAD_REQUEST;
            case "authentication_error", "permission_error", "billing_error" -> ErrorKind.AUTH;
            case "not_found_error" -> ErrorKind.NOT_FOUND;
            case "rate_limit_error" -> ErrorKind.RATE_LIMITED;
            case "overloaded_error" -> ErrorKind.OVERLOADED;
            case "timeout_error" -> ErrorKind.TIMEOUT;
            case "api_error" -> ErrorKind.SERVER;
            default -> kindOfStatus(status);
        };
    }

    private static ErrorKind kindOfStatus(int status) {
        return switch (status) {
            case 400, 413, 415, 422 -> ErrorKind.BAD_REQUEST;
            case 401, 402, 403 -> ErrorKind.AUTH;
            case 404 -> ErrorKind.NOT_FOUND;
            case 408, 504 -> ErrorKind.TIMEOUT;
            case 429 -> ErrorKind.RATE_LIMITED;
            case 503, 529 -> ErrorKind.OVERLOADED;
            default -> status >= 500 || status < 400 ? ErrorKind.SERVER : ErrorKind.BAD_REQUEST;
        };
    }

    /** The status Anthropic documents for an error type, for errors that arrive without one (inside a stream). */
    private static int statusOf(String type) {
        return switch (type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> 500;
        };
    }

    /**
     * {@code retry-after} when given, else the latest {@code anthropic-ratelimit-*-reset} time (RFC 3339) among the
     * limits whose {@code -remaining} count is exhausted.
     */
    static Optional<Duration> retryAfter(Map<String, String> headers, Instant now) {
        Optional<Duration> given = RetryAfter.parse(headers, now);
        if (given.isPresent()) {
            return given;
        }
        Optional<Instant> latest = Optional.empty();
        for (String limit : RESET_LIMITS) {
            String prefix = "anthropic-ratelimit-" + limit;
            if (!"0".equals(headers.getOrDefault(prefix + "-remaining", "").strip())) {
                continue;
            }
            Optional<Instant> reset = instant(headers.get(prefix + "-reset"));
            if (reset.isPresent() && (latest.isEmpty() || reset.get().isAfter(latest.get()))) {
                latest = reset;
            }
        }
        return latest.map(at -> {
            Duration wait = Duration.between(now, at);
            return wait.isNegative() ? Duration.ZERO : wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
        });
    }

    private static Optional<Instant> instant(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.strip()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The Anthropic error type a client of the Messages API expects for {@code kind}. */
    static String anthropicType(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST, CONTEXT_TOO_LONG, CONTENT_FILTERED -> "invalid_request_error";
            case NOT_FOUND -> "not_found_error";
            case RATE_LIMITED -> "rate_limit_error";
            case OVERLOADED -> "overloaded_error";
            case TIMEOUT -> "timeout_error";
            case AUTH, SERVER, NETWORK, PROTOCOL -> "api_error";
        };
    }
}
