package ai.higress.config;

import io.helidon.config.Config;

/**
 * Global routing behaviour: health and circuit breaking, the retry budget and backoff, shared health, and how the
 * providers' concurrency caps are held.
 */
public record RoutingConfig(HealthConfig health, RetryConfig retry, SharedHealthConfig sharedHealth,
                            ConcurrencyConfig concurrency) {

    /** With the default concurrency settings. */
    public RoutingConfig(HealthConfig health, RetryConfig retry, SharedHealthConfig sharedHealth) {
        this(health, retry, sharedHealth, ConcurrencyConfig.DEFAULTS);
    }

    static RoutingConfig create(Config node) {
        return new RoutingConfig(HealthConfig.create(node.get("health")), RetryConfig.create(node.get("retry")),
                SharedHealthConfig.create(node.get("health.shared")), ConcurrencyConfig.create(node.get("concurrency")));
    }
}
