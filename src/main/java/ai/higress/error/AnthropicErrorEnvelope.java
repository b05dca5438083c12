package ai.higress.error;

import java.util.Optional;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one place a failure becomes Anthropic's error envelope {@code {"type":"error","error":{"type","message"}}} and
 * Anthropic's status code, for clients of the Messages API. The gateway's statuses are kept except where Anthropic
 * has its own: an overloaded upstream is 529 {@code overloaded_error}, as Anthropic answers. Anthropic's envelope has
 * no {@code param}: messages of request errors already start with the field path.
 */
public final class AnthropicErrorEnvelope {
    /** Anthropic's status for an overloaded service; its SDKs raise a dedicated exception for it. */
    public static final int OVERLOADED = 529;

    private AnthropicErrorEnvelope() {
    }

    /** The HTTP status an Anthropic client gets for {@code failure}. */
    public static int status(GatewayException failure) {
        return overloaded(failure) ? OVERLOADED : failure.status();
    }

    /** Anthropic's {@code error.type} for {@code failure}. */
    public static String type(GatewayException failure) {
        if (overloaded(failure)) {
            return "overloaded_error";
        }
        int status = failure.status();
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            // Anthropic uses invalid_request_error for any other client error, api_error for its own faults
            default -> status < 500 ? "invalid_request_error" : "api_error";
        };
    }

    /** The envelope without a request id: the form of an in-stream {@code error} event. */
    public static ObjectNode of(GatewayException failure) {
        return of(failure, Optional.empty());
    }

    /** The envelope of an error response, with the request id a client quotes when reporting it. */
    public static ObjectNode of(GatewayException failure, Optional<String> requestId) {
        ObjectNode root = Json.object();
        root.put("type", "error");
        ObjectNode error = root.putObject("error");
        error.put("type", type(failure));
        error.put("message", failure.getMessage());
        requestId.ifPresent(id -> root.put("request_id", id));
        return root;
    }

    private static boolean overloaded(GatewayException failure) {
        return failure instanceof UpstreamException upstream && upstream.kind() == ErrorKind.OVERLOADED;
    }
}
