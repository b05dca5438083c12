package ai.higress.routing;

import static ai.higress.routing.RoutingFixtures.HEALTH;
import static ai.higress.routing.RoutingFixtures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import ai.higress.concurrency.ConcurrencyCaps;
import ai.higress.concurrency.ConcurrencyListener;
import ai.higress.concurrency.Cap;
import ai.higress.config.AuthStyle;
import ai.higress.config.HedgeConfig;
import ai.higress.config.ModelCapabilities;
import ai.higress.config.PathStyle;
import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderKey;
import ai.higress.config.ProviderPreset;
import ai.higress.config.ProviderType;
import ai.higress.config.RetryConfig;
import ai.higress.config.Secret;
import ai.higress.config.Strategy;
import ai.higress.config.TimeoutsConfig;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.observe.Exchange;
import ai.higress.provider.Target;
import ai.higress.routing.RoutingFixtures.FakeTicker;

import org.junit.jupiter.api.Test;

/** The attempt loop and the concurrency caps (counted in process): busy targets are passed over, never failed. */
class BusyTargetTest {
    private static final RetryConfig NO_BACKOFF = new RetryConfig(0.2, 5, Duration.ofSeconds(10), Duration.ZERO,
            Duration.ZERO);

    private final FakeTicker clock = new FakeTicker(1_000_000_000_000L);
    private final HealthTracker health = new HealthTracker(HEALTH, clock, () -> new SplittableRandom(1),
            RoutingListener.NONE);
    private final List<String> refusals = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrencyCaps caps = ConcurrencyCaps.local(new ConcurrencyListener() {
        @Override
        public void refused(String provider, Cap cap) {
            refusals.add(provider + ":" + cap.tag());
        }
    });
    private final Failover failover = new Failover(3, health, new RetryBudget(NO_BACKOFF, clock), NO_BACKOFF,
            () -> new SplittableRandom(7), RoutingListener.NONE, caps);
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private static ProviderConfig provider(String id, int cap, List<ProviderKey> keys) {
        return new ProviderConfig(id, ProviderType.OPENAI, ProviderPreset.CUSTOM, URI.create("http://" + id
                + ".invalid/v1"), keys, keys.isEmpty() ? AuthStyle.NONE : AuthStyle.BEARER, PathStyle.STANDARD, "",
                Map.of(), List.of("m"), ModelCapabilities.ALL, Map.of(), cap, true, TimeoutsConfig.DEFAULTS);
    }

    private static RoutePlan plan(ProviderConfig... providers) {
        List<Target> targets = new ArrayList<>();
        for (ProviderConfig provider : providers) {
            targets.add(new Target(provider, "m", 1));
        }
        return new RoutePlan("m", Strategy.PRIORITY, HedgeConfig.DISABLED, targets, List.of(), List.of());
    }

    private Won<String> start(RoutePlan plan) {
        return failover.run(plan, clock.nanos() + 60_000_000_000L, new Exchange("r", "POST", "/x", System.nanoTime()),
                context -> {
                    log.add(context.target().providerId() + "@" + context.target().key().id());
                    context.responded(200, () -> { });
                    return context.target().providerId();
                }, value -> { });
    }

    @Test
    void aTargetAtItsCapIsPassedOverWithoutAnAttemptAndUsedAgainOnceAPlaceIsFree() {
        ProviderConfig a = provider("a", 1, List.of());
        ProviderConfig b = provider("b", 5, List.of());
        Won<String> holding = start(plan(a, b));
        assertEquals("a", holding.value());
        Won<String> second = start(plan(a, b));
        assertEquals("b", second.value(), "a is busy: the next target serves");
        assertEquals(List.of("a@a#none", "b@b#none"), log, "no attempt was made on the busy target");
        assertEquals(List.of("a:provider"), refusals);
        holding.finish(Optional.empty());
        second.finish(Optional.empty());
        assertEquals("a", start(plan(a, b)).value(), "finishing released the place");
    }

    @Test
    void whenEveryTargetIsBusyTheAnswerIs503WithRetryAfterAndNoAttemptIsMade() {
        ProviderConfig a = provider("a", 1, List.of());
        start(plan(a));
        UpstreamException busy = assertThrows(UpstreamException.class, () -> start(plan(a)));
        assertEquals(503, busy.status());
        assertEquals(Optional.of("upstream_busy"), busy.code());
        assertEquals(Optional.of(Duration.ofSeconds(1)), busy.retryAfter());
        assertEquals(ErrorKind.OVERLOADED, busy.kind());
        assertEquals(1, log.size());
        assertEquals(ai.higress.routing.CircuitState.CLOSED, health.target(new Target(a, "m", 1))
                .state(clock.nanos()), "being busy is no failure of the provider");
    }

    @Test
    void aKeyAtItsOwnCapIsPassedOverForAnotherKeyOfTheSameProvider() {
        ProviderConfig a = provider("a", 10, List.of(new ProviderKey("a#0", Secret.of("sk-key-zero-0123456789"), 1, 1),
                new ProviderKey("a#1", Secret.of("sk-key-one-01234567890"), 1, 1)));
        Won<String> first = start(plan(a));
        Won<String> second = start(plan(a));
        assertEquals(2, log.stream().distinct().count(), "each request got its own key: " + log);
        int before = refusals.size();
        UpstreamException busy = assertThrows(UpstreamException.class, () -> start(plan(a)));
        assertEquals("upstream_busy", busy.code().orElseThrow());
        assertEquals(List.of("a:key", "a:key"), refusals.subList(before, refusals.size()), "both keys were tried");
        first.finish(Optional.empty());
        second.finish(Optional.empty());
    }

    @Test
    void aFailedAttemptGivesItsPlaceBackSoTheRetryCanTakeIt() {
        ProviderConfig a = provider("a", 1, List.of());
        int[] calls = {0};
        Won<String> won = failover.run(plan(a), clock.nanos() + 60_000_000_000L,
                new Exchange("r", "POST", "/x", System.nanoTime()), context -> {
                    context.responded(200, () -> { });
                    if (calls[0]++ == 0) {
                        throw failure(ErrorKind.SERVER, "a");
                    }
                    return "second try";
                }, value -> { });
        assertEquals("second try", won.value());
        assertEquals(List.of(), refusals);
        won.releaseLease();
        won.finish(Optional.empty());
        assertEquals("a", start(plan(a)).value(), "releasing twice frees one place, not two");
        assertThrows(UpstreamException.class, () -> start(plan(a)));
    }
}
