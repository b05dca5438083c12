package ai.higress.error;

import java.util.Optional;

/**
 * A failure that the client sees as an OpenAI error envelope with {@link #status()}. Messages are written for the
 * client: they never contain secrets, stack traces or internal class names. No stack trace is captured because these
 * are expected outcomes on the hot path, not bugs.
 */
public class GatewayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final ErrorType type;
    private final String param;
    private final String code;

    public GatewayException(int status, ErrorType type, String message, Optional<String> param, Optional<String> code) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param.orElse(null);
        this.code = code.orElse(null);
    }

    public static GatewayException invalidRequest(String message, String param) {
        return new GatewayException(400, ErrorType.INVALID_REQUEST, message, Optional.ofNullable(param), Optional.empty());
    }

    public static GatewayException invalidRequest(String message, String param, String code) {
        return new GatewayException(400, ErrorType.INVALID_REQUEST, message, Optional.ofNullable(param), Optional.of(code));
    }

    public static GatewayException invalidApiKey(String message) {
        return new GatewayException(401, ErrorType.INVALID_REQUEST, message, Optional.empty(), Optional.of("invalid_api_key"));
    }

    public static GatewayException modelNotFound(String model) {
        return new GatewayException(404, ErrorType.INVALID_REQUEST,
                "The model `" + model + "` does not exist or you do not have access to it.",
                Optional.of("model"), Optional.of("model_not_found"));
    }

    public static GatewayException notFound(String message) {
        return new GatewayException(404, ErrorType.INVALID_REQUEST, message, Optional.empty(), Optional.of("not_found"));
    }

    public static GatewayException methodNotAllowed(String method, String path) {
        return new GatewayException(405, ErrorType.INVALID_REQUEST,
                "Method " + method + " is not allowed for " + path + ".", Optional.empty(),
                Optional.of("method_not_allowed"));
    }

    public static GatewayException payloadTooLarge(long limitBytes) {
        return new GatewayException(413, ErrorType.INVALID_REQUEST,
                "Request body is larger than the configured limit of " + limitBytes + " bytes.", Optional.empty(),
                Optional.of("request_too_large"));
    }

    public static GatewayException payloadTooLarge() {
        return new GatewayException(413, ErrorType.INVALID_REQUEST, "Request is larger than the server accepts.",
                Optional.empty(), Optional.of("request_too_large"));
    }

    public static GatewayException unsupportedMediaType(String contentType) {
        return new GatewayException(415, ErrorType.INVALID_REQUEST,
                "Unsupported Content-Type '" + contentType + "'; send application/json.", Optional.empty(),
                Optional.of("unsupported_media_type"));
    }

    public static GatewayException internal() {
        return new GatewayException(500, ErrorType.SERVER,
                "The gateway failed to process the request. Quote the x-request-id header when reporting it.",
                Optional.empty(), Optional.of("internal_error"));
    }

    public int status() {
        return status;
    }

    public ErrorType type() {
        return type;
    }

    public Optional<String> param() {
        return Optional.ofNullable(param);
    }

    public Optional<String> code() {
        return Optional.ofNullable(code);
    }
}
