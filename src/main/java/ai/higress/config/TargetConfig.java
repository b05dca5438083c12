package ai.higress.config;

import io.helidon.config.Config;

/**
 * One place a logical model can be served.
 *
 * @param provider the provider id
 * @param model    the upstream model name
 * @param weight   share of first attempts within its tier (0 disables the target)
 * @param priority tier: 0 is tried first, then 1, and so on
 */
public record TargetConfig(String provider, String model, int weight, int priority) {

    public TargetConfig(String provider, String model, int weight) {
        this(provider, model, weight, 0);
    }

    static TargetConfig create(Config node) {
        return new TargetConfig(Nodes.requiredString(node.get("provider")), Nodes.requiredString(node.get("model")),
                Nodes.integer(node.get("weight"), 1, 0, 1_000_000), Nodes.integer(node.get("priority"), 0, 0, 100));
    }
}
