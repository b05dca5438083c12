package ai.higress.routing;

import static ai.higress.routing.RoutingFixtures.HEALTH;
import static ai.higress.routing.RoutingFixtures.health;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import ai.higress.config.HealthConfig;
import ai.higress.error.ErrorKind;
import ai.higress.routing.RoutingFixtures.FakeTicker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CircuitBreakerTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private final FakeTicker clock = new FakeTicker(1_000 * SECOND);

    private static CircuitBreaker breaker(HealthConfig config) {
        return new CircuitBreaker(config, new SplittableRandom(42));
    }

    private void fail(CircuitBreaker breaker, ErrorKind kind) {
        breaker.onFailure(clock.nanos(), kind, Optional.empty());
    }

    private void succeed(CircuitBreaker breaker) {
        breaker.onSuccess(clock.nanos(), 100 * MS);
    }

    /** Opens {@code breaker} with consecutive failures and returns the cooldown it got. */
    private long open(CircuitBreaker breaker, int failures) {
        for (int i = 0; i < failures; i++) {
            fail(breaker, ErrorKind.SERVER);
        }
        HealthSnapshot snapshot = breaker.snapshot(clock.nanos());
        assertEquals(CircuitState.OPEN, snapshot.state());
        return snapshot.cooldownNanosLeft();
    }

    @Test
    void aMissedRemoteCloseEndsOnlyAnOpenThatCameFromAnotherReplica() {
        CircuitBreaker remote = breaker(health(100, 0.5, 3, 0));
        assertTrue(remote.applyRemoteOpen(clock.nanos(), 30 * SECOND, "opened elsewhere"));
        assertTrue(remote.applyMissedRemoteClose(clock.nanos()));
        assertEquals(CircuitState.CLOSED, remote.state(clock.nanos()));
        assertFalse(remote.applyMissedRemoteClose(clock.nanos()), "nothing left to close");

        CircuitBreaker local = breaker(health(100, 0.5, 3, 0));
        open(local, 3);
        assertFalse(local.applyMissedRemoteClose(clock.nanos()), "this replica's own open stays");
        assertEquals(CircuitState.OPEN, local.state(clock.nanos()));

        CircuitBreaker reopened = breaker(health(100, 0.5, 3, 0));
        reopened.applyRemoteOpen(clock.nanos(), SECOND, "opened elsewhere");
        clock.advanceNanos(2 * SECOND);
        assertTrue(reopened.tryAcquire(clock.nanos()), "the probe after the remote cooldown");
        fail(reopened, ErrorKind.SERVER);
        assertEquals(CircuitState.OPEN, reopened.state(clock.nanos()), "the failed probe reopened it here");
        assertFalse(reopened.applyMissedRemoteClose(clock.nanos()), "so it is this replica's open now");
    }

    @Test
    void consecutiveFailuresOpenTheCircuit() {
        CircuitBreaker breaker = breaker(health(100, 0.5, 3, 0));
        fail(breaker, ErrorKind.SERVER);
        fail(breaker, ErrorKind.TIMEOUT);
        assertEquals(CircuitState.CLOSED, breaker.state(clock.nanos()));
        assertTrue(breaker.tryAcquire(clock.nanos()));
        // a success in between starts the count again
        succeed(breaker);
        fail(breaker, ErrorKind.SERVER);
        fail(breaker, ErrorKind.NETWORK);
        assertEquals(CircuitState.CLOSED, breaker.state(clock.nanos()));
        assertEquals(2, breaker.snapshot(clock.nanos()).consecutiveFailures());
        fail(breaker, ErrorKind.OVERLOADED);
        HealthSnapshot open = breaker.snapshot(clock.nanos());
        assertEquals(CircuitState.OPEN, open.state());
        assertEquals("3 consecutive failures (overloaded)", open.reason());
        assertEquals(5 * SECOND, open.cooldownNanosLeft(), "the first cooldown, without jitter");
        assertEquals(3, open.consecutiveFailures());
        assertEquals(6, open.windowAttempts());
        assertEquals(5, open.windowFailures());
        assertFalse(breaker.tryAcquire(clock.nanos()));
        assertEquals(0, breaker.healthFactor(clock.nanos()), "an open circuit has no weight");
    }

    @Test
    void anErrorRatioOverMinRequestsOpensTheCircuit() {
        CircuitBreaker breaker = breaker(health(10, 0.5, 100, 0));
        // below min-requests even a 100 % error ratio keeps the circuit closed
        for (int i = 0; i < 9; i++) {
            fail(breaker, ErrorKind.SERVER);
        }
        assertEquals(CircuitState.CLOSED, breaker.state(clock.nanos()));
        assertEquals(1.0, breaker.healthFactor(clock.nanos()), "the ratio is not trusted below min-requests");

        CircuitBreaker mixed = breaker(health(10, 0.5, 100, 0));
        for (int i = 0; i < 5; i++) {
            succeed(mixed);
        }
        for (int i = 0; i < 4; i++) {
            fail(mixed, ErrorKind.SERVER);
        }
        assertEquals(CircuitState.CLOSED, mixed.state(clock.nanos()), "9 attempts, fewer than min-requests");
        fail(mixed, ErrorKind.SERVER);
        HealthSnapshot open = mixed.snapshot(clock.nanos());
        assertEquals(CircuitState.OPEN, open.state(), "10 attempts, 5 failures: ratio 0.5 reaches error-ratio");
        assertEquals("error ratio over threshold", open.reason());
        assertEquals(10, open.windowAttempts());
        assertEquals(5, open.windowFailures());
    }

    @Test
    void aRatioJustBelowTheThresholdKeepsItClosed() {
        CircuitBreaker breaker = breaker(health(10, 0.5, 100, 0));
        for (int i = 0; i < 6; i++) {
            succeed(breaker);
        }
        for (int i = 0; i < 4; i++) {
            fail(breaker, ErrorKind.SERVER);
        }
        assertEquals(CircuitState.CLOSED, breaker.state(clock.nanos()), "ratio 0.4 < 0.5");
    }

    @ParameterizedTest
    @EnumSource(value = ErrorKind.class, names = {"BAD_REQUEST", "CONTEXT_TOO_LONG", "CONTENT_FILTERED", "NOT_FOUND"})
    void clientCausedKindsNeverCount(ErrorKind kind) {
        assertFalse(kind.providerFault());
        CircuitBreaker breaker = breaker(health(100, 0.5, 5, 0));
        for (int i = 0; i < 4; i++) {
            fail(breaker, ErrorKind.SERVER);
        }
        for (int i = 0; i < 100; i++) {
            fail(breaker, kind);
        }
        HealthSnapshot snapshot = breaker.snapshot(clock.nanos());
        assertEquals(CircuitState.CLOSED, snapshot.state());
        assertEquals(4, snapshot.windowAttempts(), "client-caused failures are not even attempts for health");
        assertEquals(4, snapshot.windowFailures());
        assertEquals(4, snapshot.consecutiveFailures(), "they neither count nor reset the streak");
        fail(breaker, ErrorKind.SERVER);
        assertEquals(CircuitState.OPEN, breaker.state(clock.nanos()));

        CircuitBreaker fresh = breaker(health(1, 0.01, 1, 0));
        fail(fresh, kind);
        assertEquals(CircuitState.CLOSED, fresh.state(clock.nanos()));
        assertEquals(1.0, fresh.healthFactor(clock.nanos()));
    }

    @Test
    void anOpenCircuitSkipsUntilTheCooldownEnds() {
        CircuitBreaker breaker = breaker(health(100, 0.5, 1, 0));
        long openedAt = clock.nanos();
        assertEquals(5 * SECOND, open(breaker, 1));
        clock.set(openedAt + 5 * SECOND - 1);
        assertFalse(breaker.tryAcquire(clock.nanos()));
        assertEquals(CircuitState.OPEN, breaker.state(clock.nanos()));
        assertEquals(1, breaker.snapshot(clock.nanos()).cooldownNanosLeft());
        clock.set(openedAt + 5 * SECOND);
        assertEquals(CircuitState.HALF_OPEN, breaker.state(clock.nanos()));
        assertEquals(0, breaker.snapshot(clock.nanos()).cooldownNanosLeft());
    }

    @Test
    void halfOpenAdmitsExactlyOneProbe() {
        CircuitBreaker breaker = breaker(health(100, 0.5, 1, 0));
        open(breaker, 1);
        clock.advance(Duration.ofSeconds(5));
        assertTrue(breaker.tryAcquire(clock.nanos()), "the probe");
        assertFalse(breaker.tryAcquire(clock.nanos()), "only one probe at a time");
        assertFalse(breaker.tryAcquire(clock.nanos()));
        assertEquals(CircuitState.HALF_OPEN, breaker.state(clock.nanos()), "looking does not claim or release");
        assertFalse(breaker.tryAcquire(clock.nanos()));
    }

    @Test
    void onCancelledReleasesAClaimedProbe() {
        CircuitBreaker breaker = breaker(health(100, 0.5, 1, 0));
        open(breaker, 1);
        clock.advance(Duration.ofSeconds(5));
        assertTrue(breaker.tryAcquire(clock.nanos()));
        assertFalse(breaker.tryAcquire(clock.nanos()));
        breaker.onCancelled();
        assertEquals(CircuitState.HALF_OPEN, breaker.state(clock.nanos()), "a cancelled probe says nothing");
        assertTrue(breaker.tryAcquire(clock.nanos()), "the slot is free for the next probe");
        assertFalse(breaker.tryAcquire(clock.nanos()));
    }

    @Test
    void aSuccessfulProbeClosesClearsTheWindowAndRampsTheWeightBack() {
        // min-requests 1 so that a window that kept its failures would show in the health factor
        CircuitBreaker breaker = breaker(new HealthConfig(HEALTH.window(), 1, 1.0, 3, Duration.ofSeconds(5),
                Duration.ofMinutes(5), 0, Duration.ofSeconds(20), HEALTH.rateLimitCooldown(),
                HEALTH.authCooldown(), HEALTH.latencyDecay()));
        for (int i = 0; i < 3; i++) {
            succeed(breaker);
        }
        open(breaker, 3);
        clock.advance(Duration.ofSeconds(5));
        assertTrue(breaker.tryAcquire(clock.nanos()));
        long closedAt = clock.nanos();
        breaker.onSuccess(closedAt, 100 * MS);
        HealthSnapshot closed = breaker.snapshot(closedAt);
        assertEquals(CircuitState.CLOSED, closed.state());
        assertEquals(1, closed.windowAttempts(), "the window holds only the probe");
        assertEquals(0, closed.windowFailures());
        assertEquals(0, closed.consecutiveFailures());
        assertEquals("", closed.reason());
        assertTrue(breaker.tryAcquire(closedAt));
        assertTrue(breaker.tryAcquire(closedAt), "closed: no probe limit");
        // (1 - 0)^2 * ramp; the ramp is linear from 0.1 to 1.0 over recovery (20 s)
        assertEquals(0.1, breaker.healthFactor(closedAt), 1e-12);
        assertEquals(0.325, breaker.healthFactor(closedAt + 5 * SECOND), 1e-12);
        assertEquals(0.55, breaker.healthFactor(closedAt + 10 * SECOND), 1e-12);
        assertEquals(1.0, breaker.healthFactor(closedAt + 20 * SECOND), 1e-12);
        assertEquals(1.0, breaker.healthFactor(closedAt + 60 * SECOND), 1e-12);
    }

    @Test
    void aFailedProbeReopensForTwiceTheCooldownCappedAtMaxCooldown() {
        CircuitBreaker breaker = breaker(new HealthConfig(HEALTH.window(), 100, 0.5, 1, Duration.ofSeconds(5),
                Duration.ofSeconds(15), 0, HEALTH.recovery(), HEALTH.rateLimitCooldown(), HEALTH.authCooldown(),
                HEALTH.latencyDecay()));
        assertEquals(5 * SECOND, open(breaker, 1));
        long[] expected = {10 * SECOND, 15 * SECOND, 15 * SECOND};
        String[] reasons = {"probe failed: server", "probe failed: timeout", "probe failed: server"};
        ErrorKind[] kinds = {ErrorKind.SERVER, ErrorKind.TIMEOUT, ErrorKind.SERVER};
        long cooldown = 5 * SECOND;
        for (int i = 0; i < expected.length; i++) {
            clock.advanceNanos(cooldown);
            assertTrue(breaker.tryAcquire(clock.nanos()), "probe " + (i + 1));
            fail(breaker, kinds[i]);
            HealthSnapshot reopened = breaker.snapshot(clock.nanos());
            assertEquals(CircuitState.OPEN, reopened.state());
            assertEquals(expected[i], reopened.cooldownNanosLeft(), "cooldown after failed probe " + (i + 1));
            assertEquals(reasons[i], reopened.reason());
            cooldown = reopened.cooldownNanosLeft();
        }
        // a successful probe resets the doubling
        clock.advanceNanos(cooldown);
        assertTrue(breaker.tryAcquire(clock.nanos()));
        succeed(breaker);
        assertEquals(5 * SECOND, open(breaker, 1));
    }

    @Test
    void cooldownsCarryJitterWithinBounds() {
        // jitter 0.2: a cooldown is base * (1 +- 0.2); checked over 200 seeds
        HealthConfig config = new HealthConfig(HEALTH.window(), 100, 0.5, 1, Duration.ofSeconds(5),
                Duration.ofSeconds(15), 0.2, HEALTH.recovery(), HEALTH.rateLimitCooldown(), HEALTH.authCooldown(),
                HEALTH.latencyDecay());
        Set<Long> firsts = new HashSet<>();
        for (int seed = 0; seed < 200; seed++) {
            CircuitBreaker breaker = new CircuitBreaker(config, new SplittableRandom(seed));
            fail(breaker, ErrorKind.SERVER);
            long first = breaker.snapshot(clock.nanos()).cooldownNanosLeft();
            assertBetween(4 * SECOND, 6 * SECOND, first);
            firsts.add(first);
            clock.advanceNanos(first);
            assertTrue(breaker.tryAcquire(clock.nanos()));
            fail(breaker, ErrorKind.SERVER);
            long second = breaker.snapshot(clock.nanos()).cooldownNanosLeft();
            assertBetween(8 * SECOND, 12 * SECOND, second);
            clock.advanceNanos(second);
            assertTrue(breaker.tryAcquire(clock.nanos()));
            fail(breaker, ErrorKind.SERVER);
            // 20 s capped at max-cooldown 15 s before the jitter is applied
            assertBetween(12 * SECOND, 18 * SECOND, breaker.snapshot(clock.nanos()).cooldownNanosLeft());
        }
        assertTrue(firsts.size() > 150, "cooldowns are spread, not all alike: " + firsts.size());
    }

    private static void assertBetween(long low, long high, long value) {
        assertTrue(value >= low && value <= high, value + " not in [" + low + ", " + high + "]");
    }

    @Test
    void rateLimitedOpensForExactlyTheRetryAfter() {
        CircuitBreaker breaker = breaker(HEALTH);
        long at = clock.nanos();
        breaker.onFailure(at, ErrorKind.RATE_LIMITED, Optional.of(Duration.ofMillis(7_250)));
        HealthSnapshot snapshot = breaker.snapshot(at);
        assertEquals(new HealthSnapshot(CircuitState.OPEN, 7_250 * MS, 0, 0, 0, 0, 0, "rate limited"), snapshot,
                "no jitter, and a 429 is no failure of the window");
        assertEquals(CircuitState.OPEN, breaker.state(at + 7_250 * MS - 1));
        assertEquals(CircuitState.HALF_OPEN, breaker.state(at + 7_250 * MS));

        CircuitBreaker withoutHeader = breaker(HEALTH);
        withoutHeader.onFailure(at, ErrorKind.RATE_LIMITED, Optional.empty());
        assertEquals(10 * SECOND, withoutHeader.snapshot(at).cooldownNanosLeft(), "rate-limit-cooldown");
        assertEquals(CircuitState.OPEN, withoutHeader.state(at + 10 * SECOND - 1));
        assertEquals(CircuitState.HALF_OPEN, withoutHeader.state(at + 10 * SECOND));
    }

    @Test
    void aShorterRetryAfterDoesNotShortenAnOpenCircuit() {
        CircuitBreaker breaker = breaker(HEALTH);
        long at = clock.nanos();
        breaker.onFailure(at, ErrorKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(30)));
        breaker.onFailure(at + SECOND, ErrorKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(2)));
        assertEquals(29 * SECOND, breaker.snapshot(at + SECOND).cooldownNanosLeft());
    }

    @Test
    void authOpensForTheAuthCooldown() {
        CircuitBreaker breaker = breaker(HEALTH);
        long at = clock.nanos();
        breaker.onFailure(at, ErrorKind.AUTH, Optional.of(Duration.ofSeconds(1)));
        HealthSnapshot snapshot = breaker.snapshot(at);
        assertEquals(CircuitState.OPEN, snapshot.state());
        assertEquals(Duration.ofMinutes(10).toNanos(), snapshot.cooldownNanosLeft(), "a Retry-After is ignored");
        assertEquals("upstream rejected the credentials", snapshot.reason());
        assertEquals(CircuitState.OPEN, breaker.state(at + Duration.ofMinutes(10).toNanos() - 1));
        assertEquals(CircuitState.HALF_OPEN, breaker.state(at + Duration.ofMinutes(10).toNanos()));
    }

    @Test
    void authIsARetryableProviderFault() {
        assertTrue(ErrorKind.AUTH.providerFault(), "an upstream 401/403 says the key (provider side) is bad");
        assertTrue(ErrorKind.AUTH.retryable(), "another provider (or key) may accept the request");
    }

    @Test
    void healthFactorIsTheSquaredSuccessRatio() {
        CircuitBreaker breaker = breaker(health(10, 0.9, 100, 0));
        for (int i = 0; i < 7; i++) {
            succeed(breaker);
        }
        fail(breaker, ErrorKind.SERVER);
        fail(breaker, ErrorKind.SERVER);
        assertEquals(1.0, breaker.healthFactor(clock.nanos()), "9 attempts: below min-requests");
        fail(breaker, ErrorKind.SERVER);
        assertEquals(0.49, breaker.healthFactor(clock.nanos()), 1e-12, "(1 - 3/10)^2");
        for (int i = 0; i < 10; i++) {
            succeed(breaker);
        }
        assertEquals(Math.pow(1 - 3.0 / 20, 2), breaker.healthFactor(clock.nanos()), 1e-12);
        // the window forgets: 30 s later nothing is left
        clock.advance(Duration.ofSeconds(30));
        assertEquals(1.0, breaker.healthFactor(clock.nanos()));
        assertEquals(0, breaker.snapshot(clock.nanos()).windowAttempts());
    }

    @Test
    void peakEwmaAdoptsSlowerSamplesAtOnceAndDecaysTowardsFasterOnes() {
        CircuitBreaker breaker = breaker(HEALTH);
        assertEquals(Optional.empty(), breaker.latencyNanos());
        long t = clock.nanos();
        breaker.onSuccess(t, 200 * MS);
        assertEquals(Optional.of(200.0 * MS), breaker.latencyNanos(), "the first sample seeds it");
        breaker.onSuccess(t + SECOND, 900 * MS);
        assertEquals(Optional.of(900.0 * MS), breaker.latencyNanos(), "slower: adopted at once");
        breaker.onSuccess(t + SECOND, 100 * MS);
        assertEquals(Optional.of(900.0 * MS), breaker.latencyNanos(), "faster at the same instant: no pull");
        // one latency-decay (10 s) later a faster sample pulls it by 1 - 1/e
        breaker.onSuccess(t + 11 * SECOND, 100 * MS);
        double expected = 900.0 * MS / Math.E + 100.0 * MS * (1 - 1 / Math.E);
        assertEquals(expected, breaker.latencyNanos().orElseThrow(), 1e-3);
        // after a long quiet time it is practically the new sample
        breaker.onSuccess(t + 1_000 * SECOND, 100 * MS);
        assertEquals(100.0 * MS, breaker.latencyNanos().orElseThrow(), 1e-3);
        assertEquals(100.0 * MS, breaker.snapshot(t + 1_000 * SECOND).latencyNanos(), 1e-3);
        // failures carry no latency
        breaker.onFailure(t + 1_001 * SECOND, ErrorKind.TIMEOUT, Optional.empty());
        assertEquals(100.0 * MS, breaker.latencyNanos().orElseThrow(), 1e-3);
    }

    @Test
    void latencyPercentileNeedsTwentySamples() {
        CircuitBreaker breaker = breaker(HEALTH);
        for (int i = 1; i <= 19; i++) {
            breaker.onSuccess(clock.nanos(), i * MS);
            assertEquals(Optional.empty(), breaker.latencyPercentile(95), "after " + i + " samples");
        }
        breaker.onSuccess(clock.nanos(), 20 * MS);
        // nearest rank: ceil(0.95 * 20) = 19th of 1..20 ms; ceil(0.5 * 20) = 10th
        assertEquals(Optional.of(Duration.ofMillis(19)), breaker.latencyPercentile(95));
        assertEquals(Optional.of(Duration.ofMillis(10)), breaker.latencyPercentile(50));
        assertEquals(Optional.of(Duration.ofMillis(20)), breaker.latencyPercentile(100));
        assertEquals(Optional.of(Duration.ofMillis(1)), breaker.latencyPercentile(0));
    }

    @Test
    void inFlightShowsInTheSnapshot() {
        CircuitBreaker breaker = breaker(HEALTH);
        breaker.inFlight().incrementAndGet();
        breaker.inFlight().incrementAndGet();
        assertEquals(2, breaker.snapshot(clock.nanos()).inFlight());
    }
}
