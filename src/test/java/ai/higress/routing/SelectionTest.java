package ai.higress.routing;

import static ai.higress.routing.RoutingFixtures.provider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import ai.higress.config.Strategy;
import ai.higress.provider.Target;

import org.junit.jupiter.api.Test;

class SelectionTest {
    private static final double MS = 1_000_000;

    private static Selection.Candidate candidate(String id, double weight, double health, double latencyMs,
                                                 int inFlight, int configOrder) {
        return new Selection.Candidate(new Target(provider(id), "m", 1), weight, health, latencyMs * MS, inFlight,
                configOrder);
    }

    private static Selection.Candidate weighted(String id, double weight) {
        return candidate(id, weight, 1, 0, 0, 0);
    }

    private static String ids(List<Selection.Candidate> ordered) {
        StringBuilder text = new StringBuilder();
        for (Selection.Candidate candidate : ordered) {
            text.append(candidate.target().providerId());
        }
        return text.toString();
    }

    /**
     * Asserts a count of Binomial(n, p) lies within 5 standard deviations of its mean. A correct implementation
     * exceeds that with probability below 6e-7 per check, so the bound holds for any seed, while an error of a few
     * percentage points in p (the bugs this catches) lands far outside it at the sample sizes used here.
     */
    private static void assertNear(int n, double p, Integer observed, String what) {
        double mean = n * p;
        double bound = 5 * Math.sqrt(n * p * (1 - p));
        int count = observed == null ? 0 : observed;
        assertTrue(Math.abs(count - mean) <= bound,
                what + ": observed " + count + ", expected " + mean + " +- " + bound);
    }

    @Test
    void weightedOrdersFollowTheWeightsWithoutReplacement() {
        List<Selection.Candidate> candidates = List.of(weighted("a", 1), weighted("b", 2), weighted("c", 3));
        SplittableRandom random = new SplittableRandom(20_251_126);
        int n = 30_000;
        Map<String, Integer> orders = new HashMap<>();
        for (int i = 0; i < n; i++) {
            List<Selection.Candidate> ordered = Selection.weighted(candidates, random);
            assertEquals(3, ordered.size());
            orders.merge(ids(ordered), 1, Integer::sum);
        }
        // P(x, y, z) = w(x)/6 * w(y)/(6 - w(x)); e.g. P(abc) = 1/6 * 2/5
        assertEquals(6, orders.size(), "every permutation occurs: " + orders);
        assertNear(n, 1.0 / 6 * 2 / 5, orders.get("abc"), "abc");
        assertNear(n, 1.0 / 6 * 3 / 5, orders.get("acb"), "acb");
        assertNear(n, 2.0 / 6 * 1 / 4, orders.get("bac"), "bac");
        assertNear(n, 2.0 / 6 * 3 / 4, orders.get("bca"), "bca");
        assertNear(n, 3.0 / 6 * 1 / 3, orders.get("cab"), "cab");
        assertNear(n, 3.0 / 6 * 2 / 3, orders.get("cba"), "cba");
    }

    @Test
    void fractionalEffectiveWeightsCountAsTheyAre() {
        // effective weights are doubles (weight x health x latency): 0.25 against 0.75
        List<Selection.Candidate> candidates = List.of(weighted("a", 0.25), weighted("b", 0.75));
        SplittableRandom random = new SplittableRandom(7);
        int n = 20_000;
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < n; i++) {
            first.merge(Selection.weighted(candidates, random).getFirst().target().providerId(), 1, Integer::sum);
        }
        assertNear(n, 0.25, first.get("a"), "a first");
    }

    @Test
    void zeroWeightsGoLastAndAllZeroIsUniform() {
        SplittableRandom random = new SplittableRandom(3);
        List<Selection.Candidate> mixed = List.of(weighted("a", 0), weighted("b", 5), weighted("c", 0));
        Map<String, Integer> orders = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            orders.merge(ids(Selection.weighted(mixed, random)), 1, Integer::sum);
        }
        assertEquals(List.of("bac", "bca"), orders.keySet().stream().sorted().toList(),
                "the only positive weight always goes first; the zeros follow in random order");

        List<Selection.Candidate> zeros = List.of(weighted("a", 0), weighted("b", 0), weighted("c", 0));
        int n = 6_000;
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < n; i++) {
            List<Selection.Candidate> ordered = Selection.weighted(zeros, random);
            assertEquals(3, ordered.stream().map(c -> c.target().providerId()).distinct().count());
            first.merge(ordered.getFirst().target().providerId(), 1, Integer::sum);
        }
        for (String id : List.of("a", "b", "c")) {
            assertNear(n, 1.0 / 3, first.get(id), id + " first");
        }
    }

    @Test
    void powerOfTwoChoicesPrefersTheLowerCost() {
        SplittableRandom random = new SplittableRandom(11);
        // with two candidates both are always drawn, so the cheaper one always goes first
        // cost = latency x (inFlight + 1) / health
        assertEquals("ba", ids(Selection.powerOfTwoChoices(List.of(candidate("a", 1, 1, 200, 0, 0),
                candidate("b", 1, 1, 100, 0, 1)), random)), "lower latency");
        assertEquals("ba", ids(Selection.powerOfTwoChoices(List.of(candidate("a", 1, 1, 100, 2, 0),
                candidate("b", 1, 1, 200, 0, 1)), random)), "300 (busy) against 200");
        assertEquals("ba", ids(Selection.powerOfTwoChoices(List.of(candidate("a", 1, 0.25, 100, 0, 0),
                candidate("b", 1, 1, 300, 0, 1)), random)), "400 (unhealthy) against 300");
        assertEquals("ba", ids(Selection.powerOfTwoChoices(List.of(candidate("a", 1, 0.5, 100, 1, 0),
                candidate("b", 1, 1, 350, 0, 1)), random)), "100 x 2 / 0.5 = 400 against 350");
        assertEquals("ab", ids(Selection.powerOfTwoChoices(List.of(candidate("a", 1, 0.5, 100, 1, 0),
                candidate("b", 1, 1, 450, 0, 1)), random)), "400 against 450");
    }

    @Test
    void powerOfTwoChoicesExploresUnmeasuredTargetsAndBreaksTiesByWeight() {
        for (int seed = 0; seed < 50; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            assertEquals("ba", ids(Selection.powerOfTwoChoices(List.of(candidate("a", 1, 1, 5, 0, 0),
                    candidate("b", 1, 1, 0, 3, 1)), random)), "an unmeasured target costs 0");
            assertEquals("ba", ids(Selection.powerOfTwoChoices(List.of(candidate("a", 1, 1, 100, 0, 0),
                    candidate("b", 2, 1, 100, 0, 1)), random)), "equal cost: the higher effective weight");
        }
    }

    @Test
    void powerOfTwoChoicesWithThreeNeverPutsTheWorstFirst() {
        // costs 100 < 200 < 300: the best goes first when it is in the drawn pair (2 of the 3 pairs), the middle
        // one otherwise; the worst never wins a pair
        List<Selection.Candidate> candidates = List.of(candidate("a", 1, 1, 300, 0, 0),
                candidate("b", 1, 1, 100, 0, 1), candidate("c", 1, 1, 200, 0, 2));
        SplittableRandom random = new SplittableRandom(5);
        int n = 9_000;
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < n; i++) {
            List<Selection.Candidate> ordered = Selection.powerOfTwoChoices(candidates, random);
            assertEquals(3, ordered.stream().map(c -> c.target().providerId()).distinct().count());
            first.merge(ordered.getFirst().target().providerId(), 1, Integer::sum);
        }
        assertEquals(null, first.get("a"), first.toString());
        assertNear(n, 2.0 / 3, first.get("b"), "best first");
        assertNear(n, 1.0 / 3, first.get("c"), "middle first");
    }

    @Test
    void leastBusyOrdersByInFlightWithRandomTieBreaks() {
        List<Selection.Candidate> candidates = List.of(candidate("a", 1, 1, 0, 0, 0), candidate("b", 9, 1, 0, 2, 1),
                candidate("c", 1, 1, 0, 0, 2), candidate("d", 1, 1, 0, 1, 3));
        SplittableRandom random = new SplittableRandom(17);
        int n = 4_000;
        Map<String, Integer> orders = new HashMap<>();
        for (int i = 0; i < n; i++) {
            orders.merge(ids(Selection.leastBusy(candidates, random)), 1, Integer::sum);
        }
        assertEquals(List.of("acdb", "cadb"), orders.keySet().stream().sorted().toList(),
                "fewest in flight first, whatever the weight; ties in random order");
        assertNear(n, 0.5, orders.get("acdb"), "a before c");
    }

    @Test
    void priorityKeepsTheConfigurationOrder() {
        List<Selection.Candidate> candidates = new ArrayList<>(List.of(candidate("a", 1, 0.1, 900, 5, 0),
                candidate("b", 100, 1, 1, 0, 1), candidate("c", 50, 1, 0, 0, 2), candidate("d", 1, 1, 1, 0, 3)));
        for (int seed = 0; seed < 20; seed++) {
            Collections.shuffle(candidates, new java.util.Random(seed));
            assertEquals("abcd", ids(Selection.order(Strategy.PRIORITY, candidates, new SplittableRandom(seed))));
        }
    }

    @Test
    void orderDispatchesOnTheStrategy() {
        List<Selection.Candidate> candidates = List.of(candidate("a", 0, 1, 300, 3, 0),
                candidate("b", 1, 1, 100, 0, 1));
        // weight 0 never leads a weighted order; b is cheaper and less busy; a comes first in configuration
        assertEquals("ba", ids(Selection.order(Strategy.WEIGHTED, candidates, new SplittableRandom(1))));
        assertEquals("ba", ids(Selection.order(Strategy.LATENCY, candidates, new SplittableRandom(1))));
        assertEquals("ba", ids(Selection.order(Strategy.LEAST_BUSY, candidates, new SplittableRandom(1))));
        assertEquals("ab", ids(Selection.order(Strategy.PRIORITY, candidates, new SplittableRandom(1))));
        assertEquals(List.of(), Selection.order(Strategy.LATENCY, List.of(), new SplittableRandom(1)));
    }
}
