package ai.higress.auth;

/**
 * The authenticated client a request runs as.
 *
 * @param keyName the name of the API key it presented (never the key itself)
 */
public record Caller(String keyName) {
}
