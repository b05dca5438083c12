package ai.higress.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * How the providers' concurrency caps ({@code providers.<id>.max-concurrency}, and per key) are held across replicas.
 * With Redis every request in flight holds a lease there; a replica renews its own leases every third of
 * {@code lease-ttl}, so the leases of a replica that crashed lapse within one TTL and free their slots.
 *
 * @param leaseTtl how long a lease lives without renewal
 */
public record ConcurrencyConfig(Duration leaseTtl) {
    public static final ConcurrencyConfig DEFAULTS = new ConcurrencyConfig(Duration.ofSeconds(30));

    static ConcurrencyConfig create(Config node) {
        Duration ttl = Nodes.duration(node.get("lease-ttl"), DEFAULTS.leaseTtl());
        if (ttl.toMillis() < 300 || ttl.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigException(Nodes.key(node.get("lease-ttl")), "must be between 0.3 seconds and 1 hour");
        }
        return new ConcurrencyConfig(ttl);
    }

    /** How often a replica renews its leases. */
    public Duration renewInterval() {
        return leaseTtl.dividedBy(3);
    }
}
