package ai.higress.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * Per-key rate limiting (the limits themselves are on the keys: {@code auth.api-keys[].rpm/tpm}, admin
 * {@code rpm_limit/tpm_limit}).
 *
 * @param defaultMaxTokens   completion tokens reserved for a request that sets neither {@code max_tokens} nor
 *                           {@code max_completion_tokens}
 * @param failureLogInterval at most one WARNING per interval while the shared store is unreachable
 */
public record RateLimitConfig(int defaultMaxTokens, Duration failureLogInterval) {
    public static final RateLimitConfig DEFAULTS = new RateLimitConfig(1024, Duration.ofSeconds(30));

    public static RateLimitConfig create(Config node) {
        return new RateLimitConfig(
                Nodes.integer(node.get("default-max-tokens"), DEFAULTS.defaultMaxTokens(), 0, 10_000_000),
                Nodes.duration(node.get("failure-log-interval"), DEFAULTS.failureLogInterval()));
    }
}
