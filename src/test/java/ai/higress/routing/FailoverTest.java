package ai.higress.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import ai.higress.config.AuthStyle;
import ai.higress.config.PathStyle;
import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderPreset;
import ai.higress.config.ProviderType;
import ai.higress.config.TimeoutsConfig;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.Target;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FailoverTest {
    /** The kinds that let failover try the next target; all others end the request at once. */
    private static final Set<ErrorKind> RETRYABLE = EnumSet.of(ErrorKind.RATE_LIMITED, ErrorKind.OVERLOADED,
            ErrorKind.SERVER, ErrorKind.TIMEOUT, ErrorKind.NETWORK, ErrorKind.PROTOCOL);

    private static final Target A = target("a");
    private static final Target B = target("b");
    private static final Target C = target("c");
    private static final Target D = target("d");

    private final List<String> log = new ArrayList<>();

    private static Target target(String provider) {
        return new Target(new ProviderConfig(provider, ProviderType.OPENAI, ProviderPreset.CUSTOM,
                URI.create("http://" + provider + ".invalid/v1"), Optional.empty(), AuthStyle.BEARER,
                PathStyle.STANDARD, "", Map.of(), List.of(), 10, true, TimeoutsConfig.DEFAULTS), "m", 1);
    }

    private static UpstreamException failure(ErrorKind kind, String provider) {
        return UpstreamException.answered(kind, 500, "failure of " + provider, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    private static long later() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    }

    /** An attempt that logs "provider#number" and fails with the scripted exception, or answers "ok from ...". */
    private Failover.Attempt<String> scripted(Map<String, UpstreamException> failures) {
        return (target, number) -> {
            log.add(target.providerId() + "#" + number);
            UpstreamException failure = failures.get(target.providerId());
            if (failure != null) {
                throw failure;
            }
            return "ok from " + target.providerId();
        };
    }

    @Test
    void theFirstSuccessIsReturned() {
        String result = new Failover(3).run(new RoutePlan("m", List.of(A, B)), later(), scripted(Map.of()));
        assertEquals("ok from a", result);
        assertEquals(List.of("a#1"), log);
    }

    @Test
    void retryableFailuresMoveOnInPlanOrder() {
        String result = new Failover(3).run(new RoutePlan("m", List.of(A, B, C, D)), later(), scripted(Map.of(
                "a", failure(ErrorKind.SERVER, "a"), "b", failure(ErrorKind.RATE_LIMITED, "b"))));
        assertEquals("ok from c", result);
        assertEquals(List.of("a#1", "b#2", "c#3"), log);
    }

    @Test
    void stopsAtMaxAttemptsAndThrowsTheLastFailure() {
        Map<String, UpstreamException> failures = new HashMap<>();
        for (String provider : List.of("a", "b", "c", "d")) {
            failures.put(provider, failure(ErrorKind.SERVER, provider));
        }
        UpstreamException thrown = assertThrows(UpstreamException.class,
                () -> new Failover(2).run(new RoutePlan("m", List.of(A, B, C, D)), later(), scripted(failures)));
        assertSame(failures.get("b"), thrown);
        assertEquals(List.of("a#1", "b#2"), log);
    }

    @Test
    void fewerTargetsThanAttemptsThrowsTheLastTargetsFailure() {
        UpstreamException last = failure(ErrorKind.TIMEOUT, "b");
        UpstreamException thrown = assertThrows(UpstreamException.class, () -> new Failover(5).run(
                new RoutePlan("m", List.of(A, B)), later(),
                scripted(Map.of("a", failure(ErrorKind.NETWORK, "a"), "b", last))));
        assertSame(last, thrown);
        assertEquals(List.of("a#1", "b#2"), log);
    }

    @ParameterizedTest
    @EnumSource(ErrorKind.class)
    void onlyRetryableKindsMoveOn(ErrorKind kind) {
        UpstreamException first = failure(kind, "a");
        Failover.Attempt<String> attempt = scripted(Map.of("a", first));
        if (RETRYABLE.contains(kind)) {
            assertEquals("ok from b", new Failover(3).run(new RoutePlan("m", List.of(A, B)), later(), attempt));
            assertEquals(List.of("a#1", "b#2"), log);
        } else {
            UpstreamException thrown = assertThrows(UpstreamException.class,
                    () -> new Failover(3).run(new RoutePlan("m", List.of(A, B)), later(), attempt));
            assertSame(first, thrown, "a non-retryable failure is returned at once");
            assertEquals(List.of("a#1"), log);
        }
    }

    @Test
    void aNonRetryableFailureAfterRetryableOnesEndsTheLoop() {
        UpstreamException badRequest = failure(ErrorKind.BAD_REQUEST, "b");
        UpstreamException thrown = assertThrows(UpstreamException.class, () -> new Failover(4).run(
                new RoutePlan("m", List.of(A, B, C)), later(),
                scripted(Map.of("a", failure(ErrorKind.OVERLOADED, "a"), "b", badRequest))));
        assertSame(badRequest, thrown);
        assertEquals(List.of("a#1", "b#2"), log);
    }

    @Test
    void aDeadlineAlreadyPassedIsATimeoutWithoutAttempts() {
        UpstreamException thrown = assertThrows(UpstreamException.class, () -> new Failover(3).run(
                new RoutePlan("m", List.of(A, B)), System.nanoTime() - 1, scripted(Map.of())));
        assertEquals(ErrorKind.TIMEOUT, thrown.kind());
        assertEquals(504, thrown.status());
        assertEquals(Optional.of("upstream_timeout"), thrown.code());
        assertEquals("the request deadline passed after 0 attempt(s)", thrown.getMessage());
        assertEquals(List.of(), log);
    }

    @Test
    void aDeadlinePassingDuringAnAttemptStopsBeforeTheNext() {
        long deadline = System.nanoTime() + Duration.ofMillis(20).toNanos();
        Failover.Attempt<String> slowFailure = (target, number) -> {
            log.add(target.providerId() + "#" + number);
            while (System.nanoTime() - deadline <= 0) {
                Thread.onSpinWait();
            }
            throw failure(ErrorKind.SERVER, target.providerId());
        };
        UpstreamException thrown = assertThrows(UpstreamException.class,
                () -> new Failover(3).run(new RoutePlan("m", List.of(A, B)), deadline, slowFailure));
        assertEquals(ErrorKind.TIMEOUT, thrown.kind());
        assertEquals("the request deadline passed after 1 attempt(s)", thrown.getMessage());
        assertEquals(List.of("a#1"), log);
    }

    @Test
    void anEmptyPlanIsOverloaded() {
        UpstreamException thrown = assertThrows(UpstreamException.class,
                () -> new Failover(3).run(new RoutePlan("chat", List.of()), later(), scripted(Map.of())));
        assertEquals(ErrorKind.OVERLOADED, thrown.kind());
        assertEquals(503, thrown.status());
        assertEquals("no target is available for model 'chat'", thrown.getMessage());
    }

    @Test
    void anUnexpectedExceptionIsNotRetried() {
        IllegalStateException bug = new IllegalStateException("bug");
        Failover.Attempt<String> broken = (target, number) -> {
            log.add(target.providerId() + "#" + number);
            throw bug;
        };
        assertSame(bug, assertThrows(IllegalStateException.class,
                () -> new Failover(3).run(new RoutePlan("m", List.of(A, B)), later(), broken)));
        assertEquals(List.of("a#1"), log);
    }
}
