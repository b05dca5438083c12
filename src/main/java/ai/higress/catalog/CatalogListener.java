package ai.higress.catalog;

/** Observes catalog refreshes (metrics). */
public interface CatalogListener {
    CatalogListener NONE = new CatalogListener() {
    };

    /** Provider {@code providerId}'s model list could not be fetched; its last good list is kept. */
    default void fetchFailed(String providerId) {
    }

    /** The shared (Redis) copy could not be read or written; the in-process copy is used. */
    default void storeError(String operation) {
    }
}
