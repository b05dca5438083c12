package ai.higress.config;

import io.helidon.config.Config;

/** One place a logical model can be served: a provider and its upstream model name, with a routing weight. */
public record TargetConfig(String provider, String model, int weight) {

    static TargetConfig create(Config node) {
        return new TargetConfig(Nodes.requiredString(node.get("provider")), Nodes.requiredString(node.get("model")),
                Nodes.integer(node.get("weight"), 1, 0, 1_000_000));
    }
}
