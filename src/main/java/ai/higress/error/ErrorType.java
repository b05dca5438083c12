package ai.higress.error;

/** The {@code error.type} values of the OpenAI error envelope that the gateway emits. */
public enum ErrorType {
    INVALID_REQUEST("invalid_request_error"),
    AUTHENTICATION("authentication_error"),
    PERMISSION("permission_error"),
    NOT_FOUND("not_found_error"),
    RATE_LIMIT("rate_limit_error"),
    SERVER("server_error"),
    UPSTREAM("upstream_error"),
    TIMEOUT("timeout_error");

    private final String wireName;

    ErrorType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
