package ai.higress.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * The retry budget and backoff. Retries (attempts after the first) are allowed while they stay under
 * {@code minPerSecond * window + ratio * requests in the window}, so an outage cannot multiply the load on upstreams.
 *
 * @param ratio        retries allowed as a share of requests
 * @param minPerSecond retries always allowed per second, so a quiet gateway can still fail over
 * @param window       the sliding window of the budget
 * @param backoff      first pause before another attempt on the same provider; doubles per repeat
 * @param maxBackoff   cap of that pause
 */
public record RetryConfig(double ratio, int minPerSecond, Duration window, Duration backoff, Duration maxBackoff) {

    static RetryConfig create(Config node) {
        RetryConfig config = new RetryConfig(Nodes.ratio(node.get("budget-ratio"), 0.2),
                Nodes.integer(node.get("budget-min-per-second"), 5, 0, 1_000_000),
                Nodes.duration(node.get("budget-window"), Duration.ofSeconds(10)),
                Nodes.duration(node.get("backoff"), Duration.ofMillis(50)),
                Nodes.duration(node.get("max-backoff"), Duration.ofSeconds(1)));
        if (config.maxBackoff().compareTo(config.backoff()) < 0) {
            throw new ConfigException(Nodes.key(node.get("max-backoff")), "must not be shorter than backoff");
        }
        return config;
    }
}
