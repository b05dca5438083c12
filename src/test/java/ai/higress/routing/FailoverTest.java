package ai.higress.routing;

import static ai.higress.routing.RoutingFixtures.HEALTH;
import static ai.higress.routing.RoutingFixtures.failure;
import static ai.higress.routing.RoutingFixtures.health;
import static ai.higress.routing.RoutingFixtures.keyedProvider;
import static ai.higress.routing.RoutingFixtures.provider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import ai.higress.config.HealthConfig;
import ai.higress.config.HedgeConfig;
import ai.higress.config.ProviderConfig;
import ai.higress.config.RetryConfig;
import ai.higress.config.Strategy;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.observe.AttemptRecord;
import ai.higress.observe.Exchange;
import ai.higress.provider.Target;
import ai.higress.routing.RoutingFixtures.FakeTicker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FailoverTest {
    /** The kinds that let failover try again; all others end the request at once. */
    private static final Set<ErrorKind> RETRYABLE = EnumSet.of(ErrorKind.RATE_LIMITED, ErrorKind.OVERLOADED,
            ErrorKind.AUTH, ErrorKind.SERVER, ErrorKind.TIMEOUT, ErrorKind.NETWORK, ErrorKind.PROTOCOL);

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    /** How long every scripted attempt takes on the fake clock. */
    private static final long ATTEMPT_NANOS = 10 * MS;
    /** Retry budget defaults, no backoff: nothing sleeps unless a test asks for it. */
    private static final RetryConfig NO_BACKOFF = new RetryConfig(0.2, 5, Duration.ofSeconds(10), Duration.ZERO,
            Duration.ZERO);

    private static final Target A = target("a");
    private static final Target B = target("b");
    private static final Target C = target("c");
    private static final Target D = target("d");

    private final FakeTicker clock = new FakeTicker(1_000 * SECOND);
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final RoutingListener listener = new RoutingListener() {
        @Override
        public void failover(String model) {
            events.add("failover:" + model);
        }

        @Override
        public void hedge(String model) {
            events.add("hedge:" + model);
        }

        @Override
        public void retryDenied(String model) {
            events.add("retryDenied:" + model);
        }
    };
    private HealthTracker health = new HealthTracker(HEALTH, clock, () -> new SplittableRandom(1), listener);
    private final Exchange exchange = new Exchange("req", "POST", "/x", System.nanoTime());

    private static Target target(String provider) {
        return new Target(provider(provider), "m", 1);
    }

    private Failover failover(int maxAttempts) {
        return failover(maxAttempts, NO_BACKOFF);
    }

    private Failover failover(int maxAttempts, RetryConfig retry) {
        return new Failover(maxAttempts, health, new RetryBudget(retry, health.ticker()), retry,
                () -> new SplittableRandom(7), listener);
    }

    private static RoutePlan plan(Target... targets) {
        return new RoutePlan("m", Strategy.WEIGHTED, HedgeConfig.DISABLED, List.of(targets), List.of(), List.of());
    }

    private static RoutePlan plan(List<Target> targets, List<Target> lastResort) {
        return new RoutePlan("m", Strategy.WEIGHTED, HedgeConfig.DISABLED, targets, lastResort, List.of());
    }

    private long later() {
        return clock.nanos() + 60 * SECOND;
    }

    /**
     * An attempt that logs "provider#number", takes {@link #ATTEMPT_NANOS} on the fake clock and fails with the
     * scripted exceptions of its provider in turn (when there are any left), or answers "ok from provider".
     */
    private Failover.Attempt<String> scripted(Map<String, ? extends Object> script) {
        Map<String, Deque<UpstreamException>> queues = new HashMap<>();
        script.forEach((provider, failures) -> queues.put(provider, failures instanceof UpstreamException single
                ? new ArrayDeque<>(Collections.nCopies(100, single)) : new ArrayDeque<>(castList(failures))));
        return context -> {
            String provider = context.target().providerId();
            log.add(provider + "#" + context.number());
            clock.advanceNanos(ATTEMPT_NANOS);
            Deque<UpstreamException> failures = queues.get(provider);
            UpstreamException failure = failures == null ? null : failures.poll();
            if (failure != null) {
                context.responded(failure.upstreamStatus(), () -> { });
                throw failure;
            }
            context.responded(200, () -> { });
            return "ok from " + provider;
        };
    }

    @SuppressWarnings("unchecked")
    private static List<UpstreamException> castList(Object failures) {
        return (List<UpstreamException>) failures;
    }

    /** Runs the loop and finishes the winner, as a dispatcher would. */
    private String run(Failover failover, RoutePlan plan, long deadline, Failover.Attempt<String> attempt) {
        Won<String> won = failover.run(plan, deadline, exchange, attempt, value -> { });
        won.finish(Optional.empty());
        return won.value();
    }

    private static AttemptRecord record(String provider, int status, String outcome) {
        boolean success = outcome.equals("success");
        return new AttemptRecord(provider, "m", provider + "#none", status, outcome, false, ATTEMPT_NANOS,
                success ? ATTEMPT_NANOS : 0);
    }

    @Test
    void theFirstSuccessIsReturned() {
        assertEquals("ok from a", run(failover(3), plan(A, B), later(), scripted(Map.of())));
        assertEquals(List.of("a#1"), log);
        assertEquals(List.of(record("a", 200, "success")), exchange.attempts());
        assertEquals(List.of(), events);
    }

    @Test
    void retryableFailuresMoveOnInPlanOrder() {
        String result = run(failover(3), plan(A, B, C, D), later(), scripted(Map.of(
                "a", failure(ErrorKind.SERVER, "a"), "b", failure(ErrorKind.RATE_LIMITED, "b"))));
        assertEquals("ok from c", result);
        assertEquals(List.of("a#1", "b#2", "c#3"), log);
        assertEquals(List.of(record("a", 500, "server"), record("b", 500, "rate_limited"),
                record("c", 200, "success")), exchange.attempts());
        assertEquals(List.of("failover:m", "failover:m"), events);
    }

    @Test
    void stopsAtMaxAttemptsAndThrowsTheLastFailure() {
        Map<String, UpstreamException> failures = new HashMap<>();
        for (String provider : List.of("a", "b", "c", "d")) {
            failures.put(provider, failure(ErrorKind.SERVER, provider));
        }
        UpstreamException thrown = assertThrows(UpstreamException.class,
                () -> run(failover(2), plan(A, B, C, D), later(), scripted(failures)));
        assertSame(failures.get("b"), thrown);
        assertEquals(List.of("a#1", "b#2"), log);
        assertEquals(List.of(record("a", 500, "server"), record("b", 500, "server")), exchange.attempts());
    }

    @Test
    void fewerTargetsThanAttemptsGoesRoundTheTargetsAgain() {
        // a retryable failure may be transient: the plan is walked again until max-attempts
        UpstreamException a = failure(ErrorKind.NETWORK, "a");
        UpstreamException b = failure(ErrorKind.TIMEOUT, "b");
        UpstreamException thrown = assertThrows(UpstreamException.class,
                () -> run(failover(5), plan(A, B), later(), scripted(Map.of("a", a, "b", b))));
        assertSame(a, thrown, "the last failure");
        assertEquals(List.of("a#1", "b#2", "a#3", "b#4", "a#5"), log);
    }

    @Test
    void aSingleTargetIsRetriedUntilMaxAttempts() {
        assertEquals("ok from a", run(failover(3), plan(A), later(), scripted(Map.of("a",
                List.of(failure(ErrorKind.SERVER, "a"), failure(ErrorKind.OVERLOADED, "a"))))));
        assertEquals(List.of("a#1", "a#2", "a#3"), log);
        assertEquals(List.of(record("a", 500, "server"), record("a", 500, "overloaded"), record("a", 200, "success")),
                exchange.attempts());

        log.clear();
        UpstreamException last = failure(ErrorKind.SERVER, "a");
        assertSame(last, assertThrows(UpstreamException.class, () -> run(failover(2), plan(A), later(),
                scripted(Map.of("a", List.of(failure(ErrorKind.SERVER, "a"), last))))));
        assertEquals(List.of("a#1", "a#2"), log);
    }

    @Test
    void aTargetWhoseCircuitOpensIsNotRetried() {
        health = new HealthTracker(health(100, 0.5, 2, 0), clock, () -> new SplittableRandom(1), listener);
        UpstreamException second = failure(ErrorKind.SERVER, "a");
        UpstreamException thrown = assertThrows(UpstreamException.class, () -> run(failover(5), plan(A), later(),
                scripted(Map.of("a", List.of(failure(ErrorKind.SERVER, "a"), second)))));
        assertSame(second, thrown);
        assertEquals(List.of("a#1", "a#2"), log, "two failures in a row opened the circuit");
        assertEquals(CircuitState.OPEN, health.target(A).state(clock.nanos()));
    }

    @ParameterizedTest
    @EnumSource(ErrorKind.class)
    void onlyRetryableKindsMoveOn(ErrorKind kind) {
        UpstreamException first = failure(kind, "a");
        Failover.Attempt<String> attempt = scripted(Map.of("a", first));
        if (RETRYABLE.contains(kind)) {
            assertEquals("ok from b", run(failover(3), plan(A, B), later(), attempt));
            assertEquals(List.of("a#1", "b#2"), log);
        } else {
            UpstreamException thrown = assertThrows(UpstreamException.class,
                    () -> run(failover(3), plan(A, B), later(), attempt));
            assertSame(first, thrown, "a non-retryable failure is returned at once");
            assertEquals(List.of("a#1"), log);
            assertEquals(List.of(record("a", 500, kind.name().toLowerCase())), exchange.attempts());
        }
    }

    @Test
    void aNonRetryableFailureAfterRetryableOnesEndsTheLoop() {
        UpstreamException badRequest = failure(ErrorKind.BAD_REQUEST, "b");
        UpstreamException thrown = assertThrows(UpstreamException.class, () -> run(failover(4), plan(A, B, C),
                later(), scripted(Map.of("a", failure(ErrorKind.OVERLOADED, "a"), "b", badRequest))));
        assertSame(badRequest, thrown);
        assertEquals(List.of("a#1", "b#2"), log);
    }

    @Test
    void aDeadlineAlreadyPassedIsATimeoutWithoutAttempts() {
        UpstreamException thrown = assertThrows(UpstreamException.class,
                () -> run(failover(3), plan(A, B), clock.nanos() - 1, scripted(Map.of())));
        assertEquals(ErrorKind.TIMEOUT, thrown.kind());
        assertEquals(504, thrown.status());
        assertEquals(Optional.of("upstream_timeout"), thrown.code());
        assertEquals("the request deadline passed after 0 attempt(s)", thrown.getMessage());
        assertEquals(List.of(), log);
        assertEquals(List.of(), exchange.attempts());
    }

    @Test
    void aDeadlinePassingDuringAnAttemptStopsBeforeTheNext() {
        long deadline = clock.nanos() + ATTEMPT_NANOS / 2;
        UpstreamException thrown = assertThrows(UpstreamException.class, () -> run(failover(3), plan(A, B),
                deadline, scripted(Map.of("a", failure(ErrorKind.SERVER, "a")))));
        assertEquals(ErrorKind.TIMEOUT, thrown.kind());
        assertEquals("the request deadline passed after 1 attempt(s)", thrown.getMessage());
        assertEquals(List.of("a#1"), log);
        assertEquals(List.of(record("a", 500, "server")), exchange.attempts());
    }

    @Test
    void anEmptyPlanIsOverloaded() {
        UpstreamException thrown = assertThrows(UpstreamException.class, () -> failover(3).run(
                new RoutePlan("chat", Strategy.WEIGHTED, HedgeConfig.DISABLED, List.of(), List.of(), List.of()),
                later(), exchange, scripted(Map.of()), value -> { }));
        assertEquals(ErrorKind.OVERLOADED, thrown.kind());
        assertEquals(503, thrown.status());
        assertEquals("no target of model 'chat' can take a request right now", thrown.getMessage());
        assertEquals(List.of(), log);
    }

    @Test
    void anUnexpectedExceptionIsAProtocolFailureAndMovesOn() {
        Failover.Attempt<String> broken = context -> {
            log.add(context.target().providerId() + "#" + context.number());
            clock.advanceNanos(ATTEMPT_NANOS);
            if (context.target().providerId().equals("a")) {
                throw new IllegalStateException("bug");
            }
            context.responded(200, () -> { });
            return "ok from b";
        };
        assertEquals("ok from b", run(failover(3), plan(A, B), later(), broken));
        assertEquals(List.of("a#1", "b#2"), log);
        assertEquals(List.of(record("a", 0, "protocol"), record("b", 200, "success")), exchange.attempts());
    }

    @Test
    void aSpentRetryBudgetStopsTheLoop() {
        RetryConfig none = new RetryConfig(0, 0, Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO);
        UpstreamException first = failure(ErrorKind.SERVER, "a");
        assertSame(first, assertThrows(UpstreamException.class, () -> run(failover(3, none), plan(A, B), later(),
                scripted(Map.of("a", first)))));
        assertEquals(List.of("a#1"), log);
        assertEquals(List.of("failover:m", "retryDenied:m"), events);

        // a floor of one retry per second over a 1 s window: one retry, then the budget is spent
        log.clear();
        events.clear();
        RetryConfig one = new RetryConfig(0, 1, Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO);
        Failover failover = failover(4, one);
        UpstreamException second = failure(ErrorKind.SERVER, "b");
        assertSame(second, assertThrows(UpstreamException.class, () -> run(failover, plan(A, B, C), later(),
                scripted(Map.of("a", first, "b", second)))));
        assertEquals(List.of("a#1", "b#2"), log);
        assertEquals(List.of("failover:m", "failover:m", "retryDenied:m"), events);
        // first attempts are never refused
        log.clear();
        assertEquals("ok from c", run(failover, plan(C), later(), scripted(Map.of())));
    }

    @Test
    void backoffOnlyBetweenAttemptsOnTheSameProvider() {
        // 200 ms, paused 50-100 % of it (jitter): a pause is at least 100 ms; no pause is far below that
        RetryConfig slow = new RetryConfig(0.2, 5, Duration.ofSeconds(10), Duration.ofMillis(200),
                Duration.ofSeconds(1));
        Target a1 = new Target(A.provider(), "m1", 1);
        Target a2 = new Target(A.provider(), "m2", 1);
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        Failover.Attempt<String> failing = context -> {
            starts.add(System.nanoTime());
            log.add(context.target().label());
            throw failure(ErrorKind.SERVER, context.target().providerId());
        };
        assertThrows(UpstreamException.class, () -> run(failover(5, slow), plan(a1, a2, B), later(), failing));
        assertEquals(List.of("a/m1", "a/m2", "b/m", "a/m1", "a/m2"), log);
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < starts.size(); i++) {
            gaps.add((starts.get(i) - starts.get(i - 1)) / MS);
        }
        assertTrue(gaps.get(0) >= 100, "a/m1 -> a/m2, same provider: " + gaps);
        assertTrue(gaps.get(1) < 100, "a -> b: no pause: " + gaps);
        assertTrue(gaps.get(2) < 100, "b -> a: no pause: " + gaps);
        assertTrue(gaps.get(3) >= 100, "a -> a again, the doubling restarted after b: " + gaps);
    }

    @Test
    void backoffDoublesUpToMaxBackoff() {
        // 80 ms doubling, capped at 100 ms: pauses in [40, 80], [50, 100], [50, 100] ms (uncapped: [160, 320])
        RetryConfig retry = new RetryConfig(0.2, 5, Duration.ofSeconds(10), Duration.ofMillis(80),
                Duration.ofMillis(100));
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        Failover.Attempt<String> failing = context -> {
            starts.add(System.nanoTime());
            throw failure(ErrorKind.SERVER, "a");
        };
        assertThrows(UpstreamException.class, () -> run(failover(4, retry), plan(A), later(), failing));
        assertEquals(4, starts.size());
        long first = (starts.get(1) - starts.get(0)) / MS;
        long second = (starts.get(2) - starts.get(1)) / MS;
        long third = (starts.get(3) - starts.get(2)) / MS;
        assertTrue(first >= 40, "first pause " + first);
        assertTrue(second >= 50, "second pause " + second);
        assertTrue(third >= 50 && third < 160, "third pause, capped: " + third);
    }

    @Test
    void noBackoffWhenTheDeadlineIsCloserThanThePause() {
        RetryConfig slow = new RetryConfig(0.2, 5, Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(5));
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        Failover.Attempt<String> attempt = context -> {
            starts.add(System.nanoTime());
            if (context.number() == 1) {
                throw failure(ErrorKind.SERVER, "a");
            }
            return "second";
        };
        // the fake clock does not move: 1 s left, the pause would be 2.5-5 s
        assertEquals("second", run(failover(2, slow), plan(A), clock.nanos() + SECOND, attempt));
        assertTrue((starts.get(1) - starts.get(0)) / MS < 1_000, "no pause that cannot end before the deadline");
    }

    @Test
    void lastResortTargetsAreTriedAfterTheHealthyOnesFail() {
        health.onFailure(B, ErrorKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(60)));
        assertEquals(CircuitState.OPEN, health.target(B).state(clock.nanos()));
        assertEquals("ok from b", run(failover(3), plan(List.of(A), List.of(B)), later(),
                scripted(Map.of("a", failure(ErrorKind.SERVER, "a")))));
        assertEquals(List.of("a#1", "b#2"), log, "an open circuit does not stop a last resort");
        assertEquals(CircuitState.CLOSED, health.target(B).state(clock.nanos()), "and its success closes it");

        log.clear();
        assertEquals("ok from a", run(failover(3), plan(List.of(A), List.of(C)), later(), scripted(Map.of())));
        assertEquals(List.of("a#1"), log, "no last resort while a healthy target answers");
    }

    @Test
    void aLastResortWithEveryKeyCoolingUsesTheKeyThatRecoversFirst() {
        ProviderConfig keyed = keyedProvider("k", 1, 1);
        Target k = new Target(keyed, "m", 1);
        health.onFailure(k.withKey(keyed.keys().get(0)), ErrorKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(90)));
        health.onFailure(k.withKey(keyed.keys().get(1)), ErrorKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(30)));
        Won<String> won = failover(3).run(plan(List.of(A), List.of(k)), later(), exchange,
                scripted(Map.of("a", failure(ErrorKind.SERVER, "a"))), value -> { });
        won.finish(Optional.empty());
        assertEquals("k#1", won.context().target().key().id());
        assertEquals(List.of(record("a", 500, "server"), new AttemptRecord("k", "m", "k#1", 200, "success", false,
                ATTEMPT_NANOS, ATTEMPT_NANOS)), exchange.attempts());
    }

    @Test
    void aCircuitThatDoesNotAdmitIsPassedOver() {
        health.onFailure(A, ErrorKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(5)));
        assertEquals("ok from b", run(failover(3), plan(A, B), later(), scripted(Map.of())));
        assertEquals(List.of("b#1"), log, "open: passed over, and the attempt number counts only real attempts");

        // half-open with its probe taken by another request: passed over too
        clock.advance(Duration.ofSeconds(5));
        assertTrue(health.target(A).tryAcquire(clock.nanos()));
        log.clear();
        assertEquals("ok from b", run(failover(3), plan(A, B), later(), scripted(Map.of())));
        assertEquals(List.of("b#1"), log);

        // once the probe slot is free, this request is the probe, and its success closes the circuit
        health.onCancelled(A);
        log.clear();
        assertEquals("ok from a", run(failover(3), plan(A, B), later(), scripted(Map.of())));
        assertEquals(List.of("a#1"), log);
        assertEquals(CircuitState.CLOSED, health.target(A).state(clock.nanos()));
    }

    @Test
    void aProviderWhoseKeysAllCoolIsPassedOverWithoutHoldingItsProbe() {
        ProviderConfig keyed = keyedProvider("k", 1);
        Target k = new Target(keyed, "m", 1);
        health.onFailure(k.withKey(keyed.keys().getFirst()), ErrorKind.AUTH, Optional.empty());
        assertEquals("ok from b", run(failover(3), plan(k, B), later(), scripted(Map.of())));
        assertEquals(List.of("b#1"), log);
        assertEquals(0, health.target(k).inFlight().get());
    }

    @Test
    void healthIsFedByEveryAttempt() {
        ProviderConfig keyed = keyedProvider("k", 1);
        Target k = new Target(keyed, "m", 1);
        Failover.Attempt<String> attempt = context -> {
            log.add(context.target().providerId() + "#" + context.number());
            clock.advance(Duration.ofMillis(120));
            context.responded(context.target().providerId().equals("k") ? 200 : 503, () -> { });
            return switch (context.target().providerId()) {
                case "a" -> throw failure(ErrorKind.SERVER, "a");
                case "b" -> throw failure(ErrorKind.RATE_LIMITED, "b", Optional.of(Duration.ofSeconds(3)));
                default -> "ok from k";
            };
        };
        assertEquals("ok from k", run(failover(3), plan(A, B, k), later(), attempt));
        long now = clock.nanos();
        HealthSnapshot a = health.target(A).snapshot(now);
        assertEquals(1, a.windowFailures());
        assertEquals(1, a.consecutiveFailures());
        assertEquals(CircuitState.CLOSED, a.state());
        HealthSnapshot b = health.target(B).snapshot(now);
        assertEquals(CircuitState.OPEN, b.state(), "a keyless provider's 429 cools the target");
        assertEquals(3 * SECOND - 120 * MS, b.cooldownNanosLeft(), "3 s from the end of b's attempt");
        assertEquals(Optional.of(120.0 * MS), health.target(k).latencyNanos(), "success records the latency");
        assertEquals(120.0 * MS, health.key(keyed.keys().getFirst()).snapshot(now).latencyNanos());
        for (Target target : List.of(A, B, k)) {
            assertEquals(0, health.target(target).inFlight().get(), target.label());
        }
        assertEquals(List.of(new AttemptRecord("a", "m", "a#none", 503, "server", false, 120 * MS, 0),
                new AttemptRecord("b", "m", "b#none", 503, "rate_limited", false, 120 * MS, 0),
                new AttemptRecord("k", "m", "k#0", 200, "success", false, 120 * MS, 120 * MS)), exchange.attempts());

        // client-caused failures say nothing about the target
        UpstreamException badRequest = failure(ErrorKind.BAD_REQUEST, "c");
        assertSame(badRequest, assertThrows(UpstreamException.class, () -> run(failover(3), plan(C), later(),
                scripted(Map.of("c", badRequest)))));
        assertEquals(0, health.target(C).snapshot(clock.nanos()).windowAttempts());
        assertEquals(0, health.target(C).inFlight().get());
    }

    @Test
    void aLateFailureOfTheWinnerCountsAgainstItsHealth() {
        Won<String> won = failover(3).run(plan(A), later(), exchange, scripted(Map.of()), value -> { });
        assertEquals(1, health.target(A).inFlight().get(), "in flight until finished");
        won.finish(Optional.of(UpstreamException.connectionLost("broke off")));
        assertEquals(0, health.target(A).inFlight().get());
        assertEquals(1, health.target(A).snapshot(clock.nanos()).windowFailures());
        assertEquals(List.of(new AttemptRecord("a", "m", "a#none", 200, "network", false, ATTEMPT_NANOS,
                ATTEMPT_NANOS)), exchange.attempts());
    }

    // ---- hedging: real virtual threads, tiny thresholds --------------------------------------------------------

    private static final HedgeConfig HEDGE = new HedgeConfig(true, Duration.ofMillis(50), false, 1.0);
    private static final HedgeConfig PATIENT_HEDGE = new HedgeConfig(true, Duration.ofSeconds(2), false, 1.0);

    private HealthTracker realTimeHealth() {
        return new HealthTracker(HEALTH, Ticker.SYSTEM, () -> new SplittableRandom(1), listener);
    }

    private static RoutePlan hedged(HedgeConfig hedge, Target... targets) {
        return new RoutePlan("m", Strategy.WEIGHTED, hedge, List.of(targets), List.of(), List.of());
    }

    private static long deadline() {
        return System.nanoTime() + 20 * SECOND;
    }

    /** The attempts without their timings (real time), as provider:status:outcome[:hedge]. */
    private List<String> outline() {
        List<String> outline = new ArrayList<>();
        for (AttemptRecord attempt : exchange.attempts()) {
            assertTrue(attempt.durationNanos() >= 0, attempt.toString());
            outline.add(attempt.provider() + ":" + attempt.keyId() + ":" + attempt.status() + ":" + attempt.outcome()
                    + (attempt.hedge() ? ":hedge" : ""));
        }
        return outline;
    }

    /** Blocks until the attempt is cancelled (its registered response closed), at most 10 s. */
    private static void untilCancelled(AttemptContext context, int status) {
        untilCancelled(context, status, new CountDownLatch(1));
    }

    /** The same, counting {@code responded} down once the response is registered. */
    private static void untilCancelled(AttemptContext context, int status, CountDownLatch responded) {
        CountDownLatch closed = new CountDownLatch(1);
        context.responded(status, closed::countDown);
        responded.countDown();
        await(closed);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "waited 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aSlowPrimaryLosesToAFastHedge() throws InterruptedException {
        health = realTimeHealth();
        Map<String, AttemptContext> contexts = new ConcurrentHashMap<>();
        List<String> discarded = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch discardedOnce = new CountDownLatch(1);
        CountDownLatch primaryResponded = new CountDownLatch(1);
        Failover.Attempt<String> attempt = context -> {
            String provider = context.target().providerId();
            contexts.put(provider, context);
            log.add(provider + "#" + context.number());
            if (provider.equals("a")) {
                untilCancelled(context, 200, primaryResponded);
                return "late a";
            }
            // the hedge wins only once the primary is inside its (slow) answer, however slowly threads start
            await(primaryResponded);
            context.responded(200, () -> { });
            return "fast b";
        };
        Consumer<String> discard = value -> {
            discarded.add(value);
            discardedOnce.countDown();
        };
        Won<String> won = failover(3).run(hedged(HEDGE, A, B), deadline(), exchange, attempt, discard);
        assertEquals("fast b", won.value());
        assertTrue(won.context().hedge());
        assertEquals(2, won.context().number());
        won.finish(Optional.empty());
        assertEquals(List.of("a#1", "b#2"), log);
        assertEquals(List.of("hedge:m"), events);
        assertTrue(contexts.get("a").cancelled(), "the primary was cancelled");
        assertFalse(contexts.get("b").cancelled());
        assertTrue(discardedOnce.await(10, TimeUnit.SECONDS), "the primary's late answer is discarded");
        assertEquals(List.of("late a"), discarded);
        assertEquals(List.of("a:a#none:200:cancelled", "b:b#none:200:success:hedge"), outline());
        assertEquals(0, health.target(A).inFlight().get());
        assertEquals(0, health.target(B).inFlight().get());
        assertEquals(0, health.target(A).snapshot(System.nanoTime()).windowAttempts(), "a lost race says nothing");
        assertEquals(1, health.target(B).snapshot(System.nanoTime()).windowAttempts());
    }

    @Test
    void aPrimaryThatWinsAfterTheHedgeStartedCancelsTheHedge() throws InterruptedException {
        health = realTimeHealth();
        Map<String, AttemptContext> contexts = new ConcurrentHashMap<>();
        CountDownLatch discardedOnce = new CountDownLatch(1);
        CountDownLatch hedgeStarted = new CountDownLatch(1);
        Failover.Attempt<String> attempt = context -> {
            String provider = context.target().providerId();
            contexts.put(provider, context);
            if (provider.equals("a")) {
                await(hedgeStarted);
                context.responded(200, () -> { });
                return "primary";
            }
            // the primary answers once the hedge is waiting on its registered response
            untilCancelled(context, 0, hedgeStarted);
            return "late hedge";
        };
        Won<String> won = failover(3).run(hedged(HEDGE, A, B), deadline(), exchange, attempt,
                value -> discardedOnce.countDown());
        assertEquals("primary", won.value());
        assertFalse(won.context().hedge());
        won.finish(Optional.empty());
        assertTrue(contexts.get("b").cancelled());
        assertTrue(discardedOnce.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("b:b#none:0:cancelled:hedge", "a:a#none:200:success"), outline());
        assertEquals(List.of("hedge:m"), events);
    }

    @Test
    void aFastPrimaryStartsNoHedge() {
        health = realTimeHealth();
        // a generous threshold: a fast primary must not lose the race to a slowly scheduled thread
        Won<String> won = failover(3).run(hedged(PATIENT_HEDGE, A, B), deadline(), exchange, context -> {
            log.add(context.target().providerId() + "#" + context.number());
            context.responded(200, () -> { });
            return "fast a";
        }, value -> { });
        won.finish(Optional.empty());
        assertEquals("fast a", won.value());
        assertEquals(List.of("a#1"), log);
        assertEquals(List.of(), events);
        assertEquals(List.of("a:a#none:200:success"), outline());
    }

    @Test
    void aPrimaryThatFailsFastFailsOverWithoutHedging() {
        health = realTimeHealth();
        Won<String> won = failover(3).run(hedged(PATIENT_HEDGE, A, B), deadline(), exchange, context -> {
            log.add(context.target().providerId() + "#" + context.number() + (context.hedge() ? "h" : ""));
            if (context.target().providerId().equals("a")) {
                context.responded(502, () -> { });
                throw failure(ErrorKind.SERVER, "a");
            }
            context.responded(200, () -> { });
            return "b";
        }, value -> { });
        won.finish(Optional.empty());
        assertEquals("b", won.value());
        assertEquals(List.of("a#1", "b#2"), log);
        assertEquals(List.of("failover:m"), events);
        assertEquals(List.of("a:a#none:502:server", "b:b#none:200:success"), outline());
    }

    @Test
    void anExhaustedHedgeBudgetStartsNoHedge() {
        health = realTimeHealth();
        Failover.Attempt<String> slowPrimary = context -> {
            log.add(context.target().providerId() + "#" + context.number());
            if (context.target().providerId().equals("a")) {
                // answers after 300 ms unless a hedge wins first and cancels it
                CountDownLatch closed = new CountDownLatch(1);
                context.responded(200, closed::countDown);
                try {
                    closed.await(300, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "slow a";
            }
            return "fast b";
        };
        // max-ratio 0: never
        Won<String> won = failover(3).run(hedged(new HedgeConfig(true, Duration.ofMillis(50), false, 0), A, B),
                deadline(), exchange, slowPrimary, value -> { });
        won.finish(Optional.empty());
        assertEquals("slow a", won.value());
        assertEquals(List.of("a#1"), log);
        assertEquals(List.of(), events);

        // max-ratio 0.5: the first request earns half a hedge (none), the second a whole one, the third is refused
        Failover failover = failover(3);
        HedgeConfig half = new HedgeConfig(true, Duration.ofMillis(50), false, 0.5);
        List<String> winners = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Won<String> next = failover.run(hedged(half, A, B), deadline(), exchange, slowPrimary, value -> { });
            next.finish(Optional.empty());
            winners.add(next.value());
        }
        assertEquals(List.of("slow a", "fast b", "slow a"), winners);
        assertEquals(List.of("hedge:m"), events);
    }

    @Test
    void anAdaptiveThresholdWaitsForThePrimarysP95() {
        health = realTimeHealth();
        for (int i = 0; i < 20; i++) {
            health.onSuccess(A, 2 * SECOND);
        }
        Failover.Attempt<String> attempt = context -> {
            log.add(context.target().providerId() + "#" + context.number());
            if (context.target().providerId().equals("a")) {
                pause(150);
                return "a";
            }
            return "b";
        };
        HedgeConfig adaptive = new HedgeConfig(true, Duration.ofMillis(50), true, 1.0);
        Won<String> won = failover(3).run(hedged(adaptive, A, B), deadline(), exchange, attempt, value -> { });
        won.finish(Optional.empty());
        assertEquals("a", won.value(), "p95 is 2 s: no hedge after 150 ms");
        assertEquals(List.of(), events);

        // without history the floor (after) applies
        health = realTimeHealth();
        log.clear();
        Failover.Attempt<String> blocking = context -> {
            log.add(context.target().providerId() + "#" + context.number());
            if (context.target().providerId().equals("a")) {
                untilCancelled(context, 0);
                return "a";
            }
            return "b";
        };
        Won<String> hedgedWin = failover(3).run(hedged(adaptive, A, B), deadline(), exchange, blocking,
                value -> { });
        hedgedWin.finish(Optional.empty());
        assertEquals("b", hedgedWin.value());
        assertEquals(List.of("hedge:m"), events);
    }
}
