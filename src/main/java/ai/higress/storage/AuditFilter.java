package ai.higress.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * Which audit entries a listing returns; every present criterion must hold.
 *
 * @param actor        exact actor
 * @param resourceType exact resource type
 * @param from         at or after (inclusive)
 * @param to           before (exclusive)
 */
public record AuditFilter(Optional<String> actor, Optional<String> resourceType, Optional<Instant> from,
                          Optional<Instant> to) {
    public static final AuditFilter ALL = new AuditFilter(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    public AuditFilter withActor(String name) {
        return new AuditFilter(Optional.of(name), resourceType, from, to);
    }

    public AuditFilter withResourceType(String type) {
        return new AuditFilter(actor, Optional.of(type), from, to);
    }

    /** Entries created in {@code [start, end)}. */
    public AuditFilter between(Instant start, Instant end) {
        return new AuditFilter(actor, resourceType, Optional.of(start), Optional.of(end));
    }
}
