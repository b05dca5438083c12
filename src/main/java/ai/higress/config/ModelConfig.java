package ai.higress.config;

import java.util.ArrayList;
import java.util.List;

import io.helidon.config.Config;

/** A logical model exposed to clients, served by one or more targets. */
public record ModelConfig(String name, List<TargetConfig> targets) {

    public ModelConfig {
        targets = List.copyOf(targets);
    }

    static ModelConfig create(String name, Config node) {
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
        return new ModelConfig(name, targets);
    }
}
