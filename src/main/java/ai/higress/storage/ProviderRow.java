package ai.higress.storage;

import java.time.Instant;

/**
 * A stored provider with its timestamps.
 *
 * @param provider  the provider
 * @param createdAt when it was first stored
 * @param updatedAt when it was last changed
 */
public record ProviderRow(Provider provider, Instant createdAt, Instant updatedAt) {
}
