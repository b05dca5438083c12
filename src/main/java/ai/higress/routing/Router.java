package ai.higress.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import ai.higress.config.GatewayConfig;
import ai.higress.config.HedgeConfig;
import ai.higress.config.ModelConfig;
import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderKey;
import ai.higress.config.Strategy;
import ai.higress.config.TargetConfig;
import ai.higress.error.GatewayException;
import ai.higress.provider.Target;
import ai.higress.schema.RequestFeatures;

/**
 * Turns a requested model into a {@link RoutePlan}. A name is, in this order: a logical model from configuration; an
 * explicit {@code provider/model} whose prefix is a configured provider; or a bare upstream model name that one or
 * more providers list. A logical model's targets are grouped in priority tiers; within a tier, targets that cannot
 * serve the request (see {@link TargetFit}: wrong endpoint, a missing capability, a context window too small) or have
 * weight 0 are skipped, cooling ones are set aside as last resort, and the rest are ordered by the model's strategy on
 * their effective weights. Fallback models' plans follow.
 */
public final class Router {
    private static final double LATENCY_FLOOR = 0.1;

    private final GatewayConfig config;
    private final HealthTracker health;
    private final Supplier<RandomGenerator> random;
    private final Map<String, List<Target>> bareNames = new LinkedHashMap<>();

    public Router(GatewayConfig config, HealthTracker health, Supplier<RandomGenerator> random) {
        this.config = config;
        this.health = health;
        this.random = random;
        for (ProviderConfig provider : config.providers().values()) {
            for (String model : provider.models()) {
                bareNames.computeIfAbsent(model, name -> new ArrayList<>()).add(new Target(provider, model, 1));
            }
            provider.aliases().forEach((alias, upstream) -> bareNames.computeIfAbsent(alias,
                    name -> new ArrayList<>()).add(new Target(provider, upstream, 1)));
        }
    }

    /** The plan for {@code model}; throws a 404 {@code model_not_found} when nothing serves it. */
    public RoutePlan plan(String model, RequestFeatures features) {
        Resolution resolution = resolve(model).orElseThrow(() -> GatewayException.modelNotFound(model));
        long now = health.ticker().nanos();
        RandomGenerator generator = random.get();
        List<Target> ordered = new ArrayList<>();
        List<Target> lastResort = new ArrayList<>();
        List<RoutePlan.PlannedTarget> explanation = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Resolution part : withFallbacks(resolution)) {
            for (List<Target> tier : tiers(part.targets())) {
                planTier(part, tier, features, now, generator, seen, ordered, lastResort, explanation);
            }
        }
        lastResort.sort(Comparator.comparingLong(target -> cooldownLeft(target, now)));
        return new RoutePlan(resolution.alias(), resolution.strategy(), resolution.hedge(), ordered, lastResort,
                explanation);
    }

    /** Whether {@code model} resolves, and to what. */
    public Optional<Resolution> resolve(String model) {
        ModelConfig logical = config.models().get(model);
        if (logical != null) {
            List<Target> targets = new ArrayList<>();
            for (TargetConfig target : logical.targets()) {
                ProviderConfig provider = config.providers().get(target.provider());
                targets.add(new Target(provider, provider.upstreamName(target.model()), target.weight(),
                        target.priority()));
            }
            return Optional.of(new Resolution(model, targets, logical.strategy(), logical.fallbacks(),
                    logical.hedge()));
        }
        int slash = model.indexOf('/');
        if (slash > 0 && slash < model.length() - 1) {
            ProviderConfig provider = config.providers().get(model.substring(0, slash));
            if (provider != null) {
                return Optional.of(Resolution.direct(model,
                        List.of(new Target(provider, provider.upstreamName(model.substring(slash + 1)), 1))));
            }
        }
        List<Target> listed = bareNames.get(model);
        return listed == null ? Optional.empty() : Optional.of(Resolution.direct(model, listed));
    }

    /**
     * Every id a client can use: logical models by name first, then, provider by provider (by id), each provider's
     * listed models as provider/model in the order it lists them.
     */
    public List<ModelEntry> catalog() {
        List<ModelEntry> entries = new ArrayList<>();
        config.models().keySet().forEach(name -> entries.add(new ModelEntry(name, "ai-higress")));
        for (ProviderConfig provider : config.providers().values()) {
            provider.listedModels().forEach(model -> entries.add(new ModelEntry(provider.id() + "/" + model,
                    provider.id())));
        }
        return entries;
    }

    private void planTier(Resolution part, List<Target> tier, RequestFeatures features, long now,
                          RandomGenerator generator, Set<String> seen, List<Target> ordered, List<Target> lastResort,
                          List<RoutePlan.PlannedTarget> explanation) {
        List<Selection.Candidate> candidates = new ArrayList<>();
        List<Target> probes = new ArrayList<>();
        double fastest = fastestLatency(tier);
        for (int i = 0; i < tier.size(); i++) {
            Target target = tier.get(i);
            CircuitBreaker breaker = health.target(target);
            HealthSnapshot snapshot = breaker.snapshot(now);
            Optional<String> skip = skipReason(target, features, seen);
            if (skip.isPresent()) {
                explanation.add(new RoutePlan.PlannedTarget(part.alias(), target, 0, snapshot, "skipped: " + skip.get()));
                continue;
            }
            seen.add(target.label());
            if (snapshot.state() == CircuitState.OPEN || !health.hasUsableKey(target.provider(), now)) {
                lastResort.add(target);
                explanation.add(new RoutePlan.PlannedTarget(part.alias(), target, 0, snapshot, "last resort"));
                continue;
            }
            if (snapshot.state() == CircuitState.HALF_OPEN) {
                // the cooldown is over: this target goes first so that some request actually probes it (only one
                // request wins the probe slot; the others pass it over without an attempt)
                probes.add(target);
                continue;
            }
            double healthFactor = breaker.healthFactor(now);
            double latency = breaker.latencyNanos().orElse(0.0);
            double latencyFactor = latency > 0 && fastest > 0 ? Math.max(LATENCY_FLOOR, Math.min(1, fastest / latency))
                    : 1;
            candidates.add(new Selection.Candidate(target, target.weight() * healthFactor * latencyFactor,
                    healthFactor, latency, snapshot.inFlight(), i));
        }
        for (Target probe : probes) {
            ordered.add(probe);
            explanation.add(new RoutePlan.PlannedTarget(part.alias(), probe, 0, health.target(probe).snapshot(now),
                    "planned #" + ordered.size() + " (half-open probe)"));
        }
        for (Selection.Candidate candidate : Selection.order(part.strategy(), candidates, generator)) {
            ordered.add(candidate.target());
            explanation.add(new RoutePlan.PlannedTarget(part.alias(), candidate.target(), candidate.effectiveWeight(),
                    health.target(candidate.target()).snapshot(now), "planned #" + ordered.size()));
        }
    }

    private static Optional<String> skipReason(Target target, RequestFeatures features, Set<String> seen) {
        if (target.weight() == 0) {
            return Optional.of("weight 0");
        }
        if (seen.contains(target.label())) {
            return Optional.of("already planned");
        }
        return TargetFit.misfit(target, features).map(TargetFit.Misfit::verdict);
    }

    /** Time until {@code target} may serve again: its own circuit's cooldown or, if longer, its provider's keys'. */
    private long cooldownLeft(Target target, long now) {
        long own = health.target(target).snapshot(now).cooldownNanosLeft();
        ProviderKey soonest = health.leastCooledKey(target.provider(), now);
        long keys = soonest.isNone() ? 0 : health.key(soonest).snapshot(now).cooldownNanosLeft();
        return Math.max(own, keys);
    }

    private double fastestLatency(List<Target> tier) {
        double fastest = 0;
        for (Target target : tier) {
            double latency = health.target(target).latencyNanos().orElse(0.0);
            if (latency > 0 && (fastest == 0 || latency < fastest)) {
                fastest = latency;
            }
        }
        return fastest;
    }

    private List<Resolution> withFallbacks(Resolution first) {
        List<Resolution> chain = new ArrayList<>();
        Set<String> visited = new HashSet<>();
        collect(first, chain, visited);
        return chain;
    }

    private void collect(Resolution resolution, List<Resolution> chain, Set<String> visited) {
        if (!visited.add(resolution.alias())) {
            return;
        }
        chain.add(resolution);
        for (String fallback : resolution.fallbacks()) {
            resolve(fallback).ifPresent(next -> collect(next, chain, visited));
        }
    }

    private static List<List<Target>> tiers(List<Target> targets) {
        Map<Integer, List<Target>> byPriority = new TreeMap<>();
        for (Target target : targets) {
            byPriority.computeIfAbsent(target.priority(), priority -> new ArrayList<>()).add(target);
        }
        return new ArrayList<>(byPriority.values());
    }

    /**
     * What a model name resolves to.
     *
     * @param alias     the name as a low-cardinality tag
     * @param targets   its targets
     * @param strategy  its selection strategy
     * @param fallbacks logical models tried after it
     * @param hedge     its hedging settings
     */
    public record Resolution(String alias, List<Target> targets, Strategy strategy, List<String> fallbacks,
                             HedgeConfig hedge) {

        static Resolution direct(String alias, List<Target> targets) {
            return new Resolution(alias, targets, Strategy.WEIGHTED, List.of(), HedgeConfig.DISABLED);
        }
    }
}
