package ai.higress.mock;

import java.util.Optional;

/**
 * An error the mock answers with; thrown by request parsing and checks, written by one error handler in the envelope
 * of the request's {@link Dialect}. {@code type}, {@code param} and {@code code} are OpenAI's fields; {@code reason} is
 * the {@code ErrorInfo.reason} of Google's envelope.
 */
final class MockApiError extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final String reason;

    private MockApiError(int status, String message, String type, String param, String code) {
        this(status, message, type, param, code, null);
    }

    private MockApiError(int status, String message, String type, String param, String code, String reason) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.reason = reason;
    }

    static MockApiError invalidRequest(String message, String param) {
        return new MockApiError(400, message, "invalid_request_error", param, null);
    }

    static MockApiError invalidBody(String message) {
        return new MockApiError(400, message, "invalid_request_error", null, null);
    }

    static MockApiError invalidApiKey(String message) {
        return new MockApiError(401, message, "invalid_request_error", null, "invalid_api_key");
    }

    /** Google's answer to a call without any credential. */
    static MockApiError unregisteredCaller(String message) {
        return new MockApiError(403, message, "permission_error", null, null);
    }

    /** Google's answer to a key it does not know: a 400, recognisable only by its {@code ErrorInfo.reason}. */
    static MockApiError apiKeyNotValid(String message) {
        return new MockApiError(400, message, "invalid_request_error", null, "invalid_api_key", "API_KEY_INVALID");
    }

    static MockApiError modelNotFound(String model) {
        return new MockApiError(404, "The model '" + model + "' does not exist or you do not have access to it.",
                "invalid_request_error", "model", "model_not_found");
    }

    static MockApiError notFound(String message) {
        return new MockApiError(404, message, "invalid_request_error", null, null);
    }

    static MockApiError methodNotAllowed(String message) {
        return new MockApiError(405, message, "invalid_request_error", null, null);
    }

    static MockApiError serverError(String message) {
        return new MockApiError(500, message, "server_error", null, null);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    Optional<String> param() {
        return Optional.ofNullable(param);
    }

    Optional<String> code() {
        return Optional.ofNullable(code);
    }

    Optional<String> reason() {
        return Optional.ofNullable(reason);
    }
}
