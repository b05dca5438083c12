package ai.higress.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import ai.higress.config.RetryConfig;
import ai.higress.routing.RoutingFixtures.FakeTicker;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private final FakeTicker clock = new FakeTicker();

    private RetryBudget budget(double ratio, int minPerSecond, Duration window) {
        return new RetryBudget(new RetryConfig(ratio, minPerSecond, window, Duration.ofMillis(50),
                Duration.ofSeconds(1)), clock);
    }

    /** Takes retries until the budget refuses; returns how many it granted (at most 10,000). */
    private static int drain(RetryBudget budget) {
        int granted = 0;
        while (granted < 10_000 && budget.tryRetry()) {
            granted++;
        }
        return granted;
    }

    private static void requests(RetryBudget budget, int count) {
        for (int i = 0; i < count; i++) {
            budget.onRequest();
        }
    }

    @Test
    void aQuietGatewayGetsTheFloor() {
        // min-per-second 2 over a 10 s window: 20 retries with no requests at all
        RetryBudget budget = budget(0.2, 2, Duration.ofSeconds(10));
        assertEquals(20, drain(budget));
        assertFalse(budget.tryRetry(), "stays spent");
    }

    @Test
    void theFloorPlusTheRatioOfRequests() {
        RetryBudget budget = budget(0.2, 1, Duration.ofSeconds(10));
        requests(budget, 50);
        assertEquals(10 + 10, drain(budget), "floor 1/s * 10 s + 0.2 * 50 requests");
        // each further request earns a fifth of a retry: 5 requests buy exactly one more
        requests(budget, 4);
        assertFalse(budget.tryRetry(), "20.8 allowed, 21 would exceed it");
        budget.onRequest();
        assertTrue(budget.tryRetry(), "21.0 allowed");
        assertFalse(budget.tryRetry());
    }

    @Test
    void theRatioAloneWithoutAFloor() {
        RetryBudget budget = budget(0.5, 0, Duration.ofSeconds(10));
        assertFalse(budget.tryRetry(), "no requests, no floor: no retries");
        requests(budget, 3);
        assertEquals(1, drain(budget), "1.5 allowed: one whole retry");
        budget.onRequest();
        assertEquals(1, drain(budget), "2.0 allowed after the fourth request");
    }

    @Test
    void aZeroBudgetDeniesEveryRetry() {
        RetryBudget budget = budget(0, 0, Duration.ofSeconds(10));
        requests(budget, 1_000);
        assertFalse(budget.tryRetry());
    }

    @Test
    void theWindowExpiresAndTheBudgetComesBack() {
        RetryBudget budget = budget(0.5, 0, Duration.ofSeconds(10));
        requests(budget, 10);
        assertEquals(5, drain(budget));
        // the window is made of 1 s buckets: requests and retries of [0 s, 1 s) count until 10 s
        clock.advance(Duration.ofMillis(9_999));
        assertFalse(budget.tryRetry(), "everything still in the window");
        clock.advance(Duration.ofMillis(1));
        assertFalse(budget.tryRetry(), "the requests expired with the retries: nothing earned");
        requests(budget, 10);
        assertEquals(5, drain(budget), "the old retries no longer count against the budget");
    }

    @Test
    void onlyTheExpiredPartOfTheWindowIsForgotten() {
        RetryBudget budget = budget(0.5, 0, Duration.ofSeconds(10));
        requests(budget, 4);
        assertEquals(2, drain(budget));
        clock.advance(Duration.ofSeconds(5));
        requests(budget, 4);
        assertEquals(2, drain(budget), "8 requests allow 4, 2 already used");
        clock.advance(Duration.ofSeconds(5));
        // the first half has expired: 4 requests and 2 retries remain
        assertFalse(budget.tryRetry());
        budget.onRequest();
        budget.onRequest();
        assertEquals(1, drain(budget), "6 requests allow 3, 2 used");
    }
}
