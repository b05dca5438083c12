package ai.higress.error;

/**
 * What went wrong with one upstream attempt, independent of the vendor's wording. Failover and health decisions look
 * only at this kind.
 */
public enum ErrorKind {
    RATE_LIMITED(true, true),
    OVERLOADED(true, true),
    AUTH(true, true),
    BAD_REQUEST(false, false),
    NOT_FOUND(false, false),
    CONTEXT_TOO_LONG(false, false),
    CONTENT_FILTERED(false, false),
    SERVER(true, true),
    TIMEOUT(true, true),
    NETWORK(true, true),
    PROTOCOL(true, true);

    private final boolean retryable;
    private final boolean providerFault;

    ErrorKind(boolean retryable, boolean providerFault) {
        this.retryable = retryable;
        this.providerFault = providerFault;
    }

    /** Whether another target may succeed where this attempt failed. */
    public boolean retryable() {
        return retryable;
    }

    /**
     * Whether the failure says something about the provider's health. Client-caused failures (bad request, context
     * too long, content filtered) never count against a provider.
     */
    public boolean providerFault() {
        return providerFault;
    }
}
