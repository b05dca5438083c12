package ai.higress.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * Hedged requests for one logical model: when the first attempt has produced no first token after {@link #after()}
 * (or the target's recent p95 time to first token when {@link #adaptive()}), the next candidate starts too and the
 * first to produce a token wins.
 *
 * @param enabled  whether this model hedges
 * @param after    the fixed threshold, also the floor of the adaptive one
 * @param adaptive use the target's recent p95 time to first token (never below {@code after})
 * @param maxRatio hedges allowed as a share of this model's requests (the hedge budget)
 */
public record HedgeConfig(boolean enabled, Duration after, boolean adaptive, double maxRatio) {
    public static final HedgeConfig DISABLED = new HedgeConfig(false, Duration.ofSeconds(2), false, 0);

    static HedgeConfig create(Config node, String prefix) {
        if (!node.exists()) {
            return DISABLED;
        }
        String after = Nodes.string(node.get("after"), "PT2S");
        boolean adaptive = after.equalsIgnoreCase("p95");
        Duration threshold = adaptive ? Nodes.duration(node.get("min-after"), Duration.ofMillis(500))
                : Nodes.duration(node.get("after"), Duration.ofSeconds(2));
        double ratio = Nodes.ratio(node.get("max-ratio"), 0.1);
        return new HedgeConfig(Nodes.bool(node.get("enabled"), true), threshold, adaptive, ratio);
    }
}
