package ai.higress.redis;

/** Redis could not be reached or did not answer in time; the caller applies its failure policy. */
public final class RedisUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
