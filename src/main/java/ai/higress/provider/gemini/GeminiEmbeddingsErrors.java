package ai.higress.provider.gemini;

import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.ErrorBodies;
import ai.higress.provider.RetryAfter;
import ai.higress.provider.Target;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Maps Gemini's error answers ({@code {"error":{"code","message","status","details"}}}, Google's RPC vocabulary) to an
 * {@link ErrorKind}. Gemini answers a bad key with 400 {@code INVALID_ARGUMENT} and the reason {@code API_KEY_INVALID}
 * in its details: that is an upstream credential problem, so it is classified AUTH (the key cools, the request fails
 * over) instead of being blamed on the client.
 */
final class GeminiEmbeddingsErrors {

    private GeminiEmbeddingsErrors() {
    }

    static UpstreamException classify(Target target, int status, Map<String, String> headers, byte[] body,
                                      Instant now) {
        ErrorBodies error = ErrorBodies.read(status, body, headers.getOrDefault("content-type", ""));
        JsonNode details = parse(body).path("error");
        String rpcStatus = details.path("status").asText("");
        ErrorKind kind = keyRejected(details) ? ErrorKind.AUTH : kindOf(status, rpcStatus, error.message());
        Optional<java.time.Duration> retryAfter = RetryAfter.parse(headers, now);
        if (kind.providerFault()) {
            return UpstreamException.answered(kind, status, "provider '" + target.providerId() + "' failed: "
                    + error.message(), Optional.empty(), Optional.of(providerFaultCode(kind)), retryAfter);
        }
        String code = kind == ErrorKind.CONTEXT_TOO_LONG ? "context_length_exceeded"
                : rpcStatus.toLowerCase(Locale.ROOT);
        return UpstreamException.answered(kind, status, error.message(), Optional.empty(),
                code.isEmpty() ? Optional.empty() : Optional.of(code), retryAfter);
    }

    static ErrorKind kindOf(int status, String rpcStatus, String message) {
        if (status == 400 && message.toLowerCase(Locale.ROOT).contains("token")
                && message.toLowerCase(Locale.ROOT).contains("exceed")) {
            return ErrorKind.CONTEXT_TOO_LONG;
        }
        return switch (status) {
            case 400, 413, 422 -> ErrorKind.BAD_REQUEST;
            case 401, 403 -> ErrorKind.AUTH;
            case 404 -> ErrorKind.NOT_FOUND;
            case 408, 504 -> ErrorKind.TIMEOUT;
            case 429 -> ErrorKind.RATE_LIMITED;
            case 503, 529 -> ErrorKind.OVERLOADED;
            default -> status >= 500 || status < 400 ? ErrorKind.SERVER
                    : "RESOURCE_EXHAUSTED".equals(rpcStatus) ? ErrorKind.RATE_LIMITED : ErrorKind.BAD_REQUEST;
        };
    }

    private static boolean keyRejected(JsonNode error) {
        for (JsonNode detail : error.path("details")) {
            if ("API_KEY_INVALID".equals(detail.path("reason").asText())) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode root = body.length == 0 ? null : Json.MAPPER.readTree(body);
            return root == null ? Json.object() : root;
        } catch (IOException e) {
            return Json.object();
        }
    }

    private static String providerFaultCode(ErrorKind kind) {
        return switch (kind) {
            case RATE_LIMITED -> "upstream_rate_limited";
            case OVERLOADED -> "upstream_overloaded";
            case AUTH -> "upstream_auth_failed";
            case TIMEOUT -> "upstream_timeout";
            default -> "upstream_error";
        };
    }
}
