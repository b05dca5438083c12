package ai.higress.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * Shared health: circuit opens and closes published through Redis so every replica applies them. Only in effect when
 * Redis is configured.
 *
 * @param enabled           whether circuits are shared (default true)
 * @param reconcileInterval how often the open circuits of known targets and keys are re-read from Redis, so that a
 *                          missed pub/sub message heals
 * @param closeMarkerTtl    how long a close stays readable in Redis after the circuit closed, so that a replica that
 *                          missed the close message closes its copy at its next reconcile
 */
public record SharedHealthConfig(boolean enabled, Duration reconcileInterval, Duration closeMarkerTtl) {
    public static final SharedHealthConfig DEFAULT = new SharedHealthConfig(true, Duration.ofSeconds(2),
            Duration.ofSeconds(60));

    /** Enabled, with {@code reconcileInterval} and the default close-marker TTL. */
    public static SharedHealthConfig every(Duration reconcileInterval) {
        return new SharedHealthConfig(true, reconcileInterval, DEFAULT.closeMarkerTtl());
    }

    static SharedHealthConfig create(Config node) {
        Duration interval = Nodes.duration(node.get("reconcile-interval"), DEFAULT.reconcileInterval());
        if (interval.toMillis() < 10) {
            throw new ConfigException(Nodes.key(node.get("reconcile-interval")), "must be at least 10 ms");
        }
        Duration marker = Nodes.duration(node.get("close-marker-ttl"), DEFAULT.closeMarkerTtl());
        if (marker.compareTo(interval.multipliedBy(2)) < 0) {
            throw new ConfigException(Nodes.key(node.get("close-marker-ttl")),
                    "must be at least two reconcile intervals, or a replica may never read it");
        }
        return new SharedHealthConfig(Nodes.bool(node.get("enabled"), DEFAULT.enabled()), interval, marker);
    }
}
