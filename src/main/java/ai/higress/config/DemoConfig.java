package ai.higress.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * The built-in demo provider: a deterministic OpenAI-compatible mock served by the same process on its own socket.
 *
 * @param enabled         whether to start it; by default only when no provider is configured
 * @param firstTokenDelay its simulated time to first token
 * @param tokenInterval   its simulated time between tokens
 */
public record DemoConfig(boolean enabled, Duration firstTokenDelay, Duration tokenInterval) {

    static DemoConfig create(Config node, boolean providersConfigured) {
        return new DemoConfig(Nodes.bool(node.get("enabled"), !providersConfigured),
                Nodes.nonNegativeDuration(node.get("first-token-delay"), Duration.ofMillis(200)),
                Nodes.nonNegativeDuration(node.get("token-interval"), Duration.ofMillis(30)));
    }
}
