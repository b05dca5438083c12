package ai.higress.concurrency;

/** Which cap refused an attempt. */
public enum Cap {
    /** The provider's {@code max-concurrency}. */
    PROVIDER,
    /** The provider key's own {@code max-concurrency}. */
    KEY,
    /** No count could be taken: Redis is unreachable and the concurrency policy fails closed. */
    UNAVAILABLE;

    public String tag() {
        return name().toLowerCase();
    }
}
