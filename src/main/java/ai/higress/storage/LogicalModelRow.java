package ai.higress.storage;

import java.time.Instant;

/**
 * A stored logical model with its timestamps.
 *
 * @param model     the logical model with its targets
 * @param createdAt when it was first stored
 * @param updatedAt when it or its targets last changed
 */
public record LogicalModelRow(LogicalModel model, Instant createdAt, Instant updatedAt) {
}
