package ai.higress.config;

import java.util.ArrayList;
import java.util.List;

import io.helidon.config.Config;

/**
 * A logical model exposed to clients.
 *
 * @param name      the name clients send as {@code model}
 * @param targets   where it can be served
 * @param strategy  how healthy targets of one tier are ordered
 * @param fallbacks other logical models tried, in order, after this model's own targets
 * @param hedge     hedged requests for this model
 */
public record ModelConfig(String name, List<TargetConfig> targets, Strategy strategy, List<String> fallbacks,
                          HedgeConfig hedge) {

    public ModelConfig {
        targets = List.copyOf(targets);
        fallbacks = List.copyOf(fallbacks);
    }

    public ModelConfig(String name, List<TargetConfig> targets) {
        this(name, targets, Strategy.WEIGHTED, List.of(), HedgeConfig.DISABLED);
    }

    public static ModelConfig create(String name, Config node) {
        String prefix = "models." + name;
        List<TargetConfig> targets = new ArrayList<>();
        for (Config item : Nodes.listItems(node.get("targets"))) {
            targets.add(TargetConfig.create(item));
        }
        if (targets.isEmpty()) {
            throw new ConfigException(prefix + ".targets", "needs at least one target");
        }
        if (targets.stream().allMatch(target -> target.weight() == 0)) {
            throw new ConfigException(prefix + ".targets", "at least one target needs a weight above 0");
        }
        return new ModelConfig(name, targets, Nodes.enumValue(node.get("strategy"), Strategy.class, Strategy.WEIGHTED),
                Nodes.stringList(node.get("fallbacks")), HedgeConfig.create(node.get("hedge"), prefix + ".hedge"));
    }
}
