package ai.higress.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * Circuit breaking and health scoring of targets and provider keys.
 *
 * @param window              sliding window over which the error ratio is computed
 * @param minRequests         attempts in the window before the error ratio can open a circuit
 * @param errorRatio          error ratio that opens the circuit
 * @param consecutiveFailures consecutive provider failures that open the circuit
 * @param cooldown            first cooldown of an open circuit; doubles after each failed probe
 * @param maxCooldown         cap of the doubling
 * @param jitter              +/- share of randomness added to each cooldown
 * @param recovery            after a circuit closes its weight ramps from 10 % to 100 % over this time
 * @param rateLimitCooldown   cooldown after a 429 without Retry-After
 * @param authCooldown        cooldown of a key after an upstream 401/403
 * @param latencyDecay        time constant of the peak-EWMA latency
 */
public record HealthConfig(Duration window, int minRequests, double errorRatio, int consecutiveFailures,
                           Duration cooldown, Duration maxCooldown, double jitter, Duration recovery,
                           Duration rateLimitCooldown, Duration authCooldown, Duration latencyDecay) {

    static HealthConfig create(Config node) {
        HealthConfig config = new HealthConfig(Nodes.duration(node.get("window"), Duration.ofSeconds(30)),
                Nodes.integer(node.get("min-requests"), 10, 1, 1_000_000),
                Nodes.ratio(node.get("error-ratio"), 0.5),
                Nodes.integer(node.get("consecutive-failures"), 5, 1, 1000),
                Nodes.duration(node.get("cooldown"), Duration.ofSeconds(5)),
                Nodes.duration(node.get("max-cooldown"), Duration.ofMinutes(5)),
                Nodes.ratio(node.get("jitter"), 0.2),
                Nodes.duration(node.get("recovery"), Duration.ofSeconds(30)),
                Nodes.duration(node.get("rate-limit-cooldown"), Duration.ofSeconds(10)),
                Nodes.duration(node.get("auth-cooldown"), Duration.ofMinutes(10)),
                Nodes.duration(node.get("latency-decay"), Duration.ofSeconds(10)));
        if (config.maxCooldown().compareTo(config.cooldown()) < 0) {
            throw new ConfigException(Nodes.key(node.get("max-cooldown")), "must not be shorter than cooldown");
        }
        return config;
    }
}
