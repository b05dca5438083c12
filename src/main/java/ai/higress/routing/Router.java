package ai.higress.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import ai.higress.config.GatewayConfig;
import ai.higress.config.ModelConfig;
import ai.higress.config.ProviderConfig;
import ai.higress.config.TargetConfig;
import ai.higress.error.GatewayException;
import ai.higress.provider.Target;

/**
 * Resolves a requested model to a plan. A name is, in this order: a logical model from configuration; an explicit
 * {@code provider/model} whose prefix is a configured provider; or a bare upstream model name that one or more
 * providers list. Targets are ordered by a weighted random draw without replacement, so weights set the share of
 * first attempts and the rest remain as fallbacks.
 */
public final class Router {
    private final GatewayConfig config;
    private final Supplier<RandomGenerator> random;
    private final Map<String, List<Target>> bareNames = new LinkedHashMap<>();

    public Router(GatewayConfig config, Supplier<RandomGenerator> random) {
        this.config = config;
        this.random = random;
        for (ProviderConfig provider : config.providers().values()) {
            for (String model : provider.models()) {
                bareNames.computeIfAbsent(model, name -> new ArrayList<>()).add(new Target(provider, model, 1));
            }
        }
    }

    /** The plan for {@code model}; throws a 404 {@code model_not_found} when nothing serves it. */
    public RoutePlan plan(String model) {
        return resolve(model).map(plan -> new RoutePlan(plan.alias(), weightedOrder(plan.targets())))
                .orElseThrow(() -> GatewayException.modelNotFound(model));
    }

    /** Whether {@code model} resolves, without drawing an order. */
    public Optional<RoutePlan> resolve(String model) {
        ModelConfig logical = config.models().get(model);
        if (logical != null) {
            List<Target> targets = new ArrayList<>();
            for (TargetConfig target : logical.targets()) {
                targets.add(new Target(config.providers().get(target.provider()), target.model(), target.weight()));
            }
            return Optional.of(new RoutePlan(model, targets));
        }
        int slash = model.indexOf('/');
        if (slash > 0 && slash < model.length() - 1) {
            ProviderConfig provider = config.providers().get(model.substring(0, slash));
            if (provider != null) {
                return Optional.of(new RoutePlan(model, List.of(new Target(provider, model.substring(slash + 1), 1))));
            }
        }
        List<Target> listed = bareNames.get(model);
        if (listed != null) {
            return Optional.of(new RoutePlan(model, listed));
        }
        return Optional.empty();
    }

    /**
     * Every id a client can use: logical models by name first, then, provider by provider (by id), each provider's
     * listed models as provider/model in the order it lists them.
     */
    public List<ModelEntry> catalog() {
        List<ModelEntry> entries = new ArrayList<>();
        config.models().keySet().forEach(name -> entries.add(new ModelEntry(name, "ai-higress")));
        for (ProviderConfig provider : config.providers().values()) {
            provider.models().forEach(model -> entries.add(new ModelEntry(provider.id() + "/" + model, provider.id())));
        }
        return entries;
    }

    List<Target> weightedOrder(List<Target> targets) {
        List<Target> remaining = new ArrayList<>();
        for (Target target : targets) {
            if (target.weight() > 0) {
                remaining.add(target);
            }
        }
        if (remaining.size() <= 1) {
            return remaining;
        }
        RandomGenerator generator = random.get();
        List<Target> ordered = new ArrayList<>(remaining.size());
        while (!remaining.isEmpty()) {
            long total = 0;
            for (Target target : remaining) {
                total += target.weight();
            }
            long draw = generator.nextLong(total);
            int index = 0;
            while (draw >= remaining.get(index).weight()) {
                draw -= remaining.get(index).weight();
                index++;
            }
            ordered.add(remaining.remove(index));
        }
        return ordered;
    }
}
