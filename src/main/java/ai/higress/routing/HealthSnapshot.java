package ai.higress.routing;

/**
 * The health of a target or key at one moment.
 *
 * @param state               circuit state
 * @param cooldownNanosLeft   time until an open circuit may be probed, 0 otherwise
 * @param windowAttempts      attempts in the sliding window
 * @param windowFailures      provider failures in the sliding window
 * @param consecutiveFailures provider failures in a row
 * @param latencyNanos        peak-EWMA latency, 0 before the first success
 * @param inFlight            requests in flight now
 * @param reason              why the circuit last opened, empty when closed
 */
public record HealthSnapshot(CircuitState state, long cooldownNanosLeft, int windowAttempts, int windowFailures,
                             int consecutiveFailures, double latencyNanos, int inFlight, String reason) {
}
