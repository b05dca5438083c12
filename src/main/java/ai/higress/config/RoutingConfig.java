package ai.higress.config;

import io.helidon.config.Config;

/** Global routing behaviour: health and circuit breaking, the retry budget and backoff, shared health. */
public record RoutingConfig(HealthConfig health, RetryConfig retry, SharedHealthConfig sharedHealth) {

    static RoutingConfig create(Config node) {
        return new RoutingConfig(HealthConfig.create(node.get("health")), RetryConfig.create(node.get("retry")),
                SharedHealthConfig.create(node.get("health.shared")));
    }
}
