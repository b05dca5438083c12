package ai.higress.error;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one place a failure becomes Google's error envelope {@code {"error":{"code","message","status"}}}, for clients
 * of the Gemini API. The HTTP status is the gateway's own; {@code status} is the canonical Google status it stands
 * for, which the google-genai SDKs read to choose an exception.
 */
public final class GoogleErrorEnvelope {

    private GoogleErrorEnvelope() {
    }

    /** Google's canonical status name for an HTTP status. */
    public static String status(int httpStatus) {
        return switch (httpStatus) {
            case 400, 413, 422 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 402, 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 405 -> "UNIMPLEMENTED";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 502, 503, 529 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> httpStatus < 500 ? "FAILED_PRECONDITION" : "INTERNAL";
        };
    }

    public static ObjectNode of(GatewayException failure) {
        ObjectNode root = Json.object();
        root.putObject("error").put("code", failure.status()).put("message", failure.getMessage())
                .put("status", status(failure.status()));
        return root;
    }
}
