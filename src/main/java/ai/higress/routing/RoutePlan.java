package ai.higress.routing;

import java.util.List;

import ai.higress.config.HedgeConfig;
import ai.higress.config.Strategy;
import ai.higress.provider.Target;

/**
 * The ordered targets for one request and why each target is where it is.
 *
 * @param alias       the model as a low-cardinality name: the logical model, or {@code provider/model}
 * @param strategy    the selection strategy of the requested model
 * @param hedge       hedging settings of the requested model
 * @param targets     healthy targets in the order they are tried (tiers first, then fallback models)
 * @param lastResort  cooling targets, tried only when every healthy one failed, soonest-recovering first
 * @param explanation every considered target with its tier, weights, health and verdict
 */
public record RoutePlan(String alias, Strategy strategy, HedgeConfig hedge, List<Target> targets,
                        List<Target> lastResort, List<PlannedTarget> explanation) {

    public RoutePlan {
        targets = List.copyOf(targets);
        lastResort = List.copyOf(lastResort);
        explanation = List.copyOf(explanation);
    }

    /**
     * This plan with the healthy target labelled {@code label} ({@code provider/model}) tried first: a session's sticky
     * target. A target that is not in the healthy list (absent, cooling, circuit open) leaves the plan unchanged.
     */
    public RoutePlan preferring(String label) {
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i).label().equals(label)) {
                if (i == 0) {
                    return this;
                }
                java.util.List<Target> reordered = new java.util.ArrayList<>(targets);
                reordered.add(0, reordered.remove(i));
                return new RoutePlan(alias, strategy, hedge, reordered, lastResort, explanation);
            }
        }
        return this;
    }

    /** This plan without the targets (healthy or last resort) that {@code keep} rejects; the explanation is kept. */
    public RoutePlan keeping(java.util.function.Predicate<Target> keep) {
        return new RoutePlan(alias, strategy, hedge, targets.stream().filter(keep).toList(),
                lastResort.stream().filter(keep).toList(), explanation);
    }

    /**
     * One considered target.
     *
     * @param model           the logical model (the requested one or a fallback) it came from
     * @param target          the target
     * @param effectiveWeight configured weight scaled by health, latency and recovery ramp
     * @param health          its health now
     * @param verdict         {@code planned #n}, {@code last resort} or {@code skipped: <reason>}
     */
    public record PlannedTarget(String model, Target target, double effectiveWeight, HealthSnapshot health,
                                String verdict) {
    }
}
