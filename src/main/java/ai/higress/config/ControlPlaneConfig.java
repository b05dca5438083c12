package ai.higress.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * How database-managed configuration reaches every replica, and admin sessions.
 *
 * @param pollInterval how often each replica checks the configuration version (changes apply within about this time)
 * @param sessionTtl   how long an admin login session lasts
 */
public record ControlPlaneConfig(Duration pollInterval, Duration sessionTtl) {

    static ControlPlaneConfig create(Config node) {
        return new ControlPlaneConfig(Nodes.duration(node.get("poll-interval"), Duration.ofSeconds(2)),
                Nodes.duration(node.get("session-ttl"), Duration.ofHours(12)));
    }
}
