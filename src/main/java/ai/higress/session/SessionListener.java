package ai.higress.session;

/** Observes session activity (for metrics). */
public interface SessionListener {
    SessionListener NONE = new SessionListener() {
    };

    /** A snippet was written. */
    default void written() {
    }

    /** The store failed during {@code operation}; the request was answered anyway. */
    default void storeError(String operation) {
    }
}
