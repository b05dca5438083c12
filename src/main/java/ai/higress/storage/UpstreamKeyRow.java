package ai.higress.storage;

import java.time.Instant;

/**
 * A stored upstream key with its creation time.
 *
 * @param key       the key
 * @param createdAt when it was stored
 */
public record UpstreamKeyRow(UpstreamKey key, Instant createdAt) {
}
