package ai.higress.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * Shared health: circuit opens and closes published through Redis so every replica applies them. Only in effect when
 * {@code redis.url} is set.
 *
 * @param enabled           whether circuits are shared (default true)
 * @param reconcileInterval how often the open circuits of known targets and keys are re-read from Redis, so that a
 *                          missed pub/sub message heals
 */
public record SharedHealthConfig(boolean enabled, Duration reconcileInterval) {
    public static final SharedHealthConfig DEFAULT = new SharedHealthConfig(true, Duration.ofSeconds(2));

    static SharedHealthConfig create(Config node) {
        Duration interval = Nodes.duration(node.get("reconcile-interval"), DEFAULT.reconcileInterval());
        if (interval.toMillis() < 10) {
            throw new ConfigException(Nodes.key(node.get("reconcile-interval")), "must be at least 10 ms");
        }
        return new SharedHealthConfig(Nodes.bool(node.get("enabled"), DEFAULT.enabled()), interval);
    }
}
