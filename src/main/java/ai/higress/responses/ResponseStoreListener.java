package ai.higress.responses;

/** Observes the response store (for metrics). */
public interface ResponseStoreListener {
    ResponseStoreListener NONE = new ResponseStoreListener() {
    };

    /** A response was stored. */
    default void stored() {
    }

    /** A response was served but not stored, because its record was larger than the configured bound. */
    default void tooLarge() {
    }

    /** The store failed during {@code operation}. */
    default void storeError(String operation) {
    }
}
