package ai.higress.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

import ai.higress.config.Strategy;

/** Orders the healthy candidates of one tier by a logical model's {@link Strategy}. */
final class Selection {

    private Selection() {
    }

    /**
     * A target that may be tried, with what the strategies need.
     *
     * @param effectiveWeight weight scaled by health, relative latency and recovery ramp (see docs/routing.md)
     * @param health          the health factor alone (error ratio and recovery ramp)
     * @param latencyNanos    peak-EWMA latency, 0 when unknown
     * @param inFlight        requests in flight
     * @param configOrder     position in the configuration
     */
    record Candidate(ai.higress.provider.Target target, double effectiveWeight, double health, double latencyNanos,
                     int inFlight, int configOrder) {
    }

    static List<Candidate> order(Strategy strategy, List<Candidate> candidates, RandomGenerator random) {
        return switch (strategy) {
            case WEIGHTED -> weighted(candidates, random);
            case LATENCY -> powerOfTwoChoices(candidates, random);
            case LEAST_BUSY -> leastBusy(candidates, random);
            case PRIORITY -> candidates.stream().sorted(Comparator.comparingInt(Candidate::configOrder)).toList();
        };
    }

    /** Random by effective weight, without replacement; weight sets the share of first attempts. */
    static List<Candidate> weighted(List<Candidate> candidates, RandomGenerator random) {
        List<Candidate> remaining = new ArrayList<>(candidates);
        List<Candidate> ordered = new ArrayList<>(candidates.size());
        while (!remaining.isEmpty()) {
            double total = 0;
            for (Candidate candidate : remaining) {
                total += candidate.effectiveWeight();
            }
            int index = 0;
            if (total > 0) {
                double draw = random.nextDouble(total);
                while (index < remaining.size() - 1 && draw >= remaining.get(index).effectiveWeight()) {
                    draw -= remaining.get(index).effectiveWeight();
                    index++;
                }
            } else {
                index = random.nextInt(remaining.size());
            }
            ordered.add(remaining.remove(index));
        }
        return ordered;
    }

    /**
     * Power of two choices: of two random remaining candidates, the one with the lower cost (latency times in-flight
     * plus one, divided by the health factor) goes next. An unmeasured target costs 0, so new targets get explored.
     */
    static List<Candidate> powerOfTwoChoices(List<Candidate> candidates, RandomGenerator random) {
        List<Candidate> remaining = new ArrayList<>(candidates);
        List<Candidate> ordered = new ArrayList<>(candidates.size());
        while (remaining.size() > 1) {
            int first = random.nextInt(remaining.size());
            int second = random.nextInt(remaining.size() - 1);
            if (second >= first) {
                second++;
            }
            Candidate a = remaining.get(first);
            Candidate b = remaining.get(second);
            int pick = cost(a) < cost(b) || cost(a) == cost(b) && a.effectiveWeight() >= b.effectiveWeight()
                    ? first : second;
            ordered.add(remaining.remove(pick));
        }
        ordered.addAll(remaining);
        return ordered;
    }

    private static double cost(Candidate candidate) {
        return candidate.latencyNanos() * (candidate.inFlight() + 1) / Math.max(candidate.health(), 1e-3);
    }

    static List<Candidate> leastBusy(List<Candidate> candidates, RandomGenerator random) {
        List<Candidate> shuffled = new ArrayList<>(candidates);
        java.util.Collections.shuffle(shuffled, java.util.Random.from(random));
        shuffled.sort(Comparator.comparingInt(Candidate::inFlight));
        return shuffled;
    }
}
