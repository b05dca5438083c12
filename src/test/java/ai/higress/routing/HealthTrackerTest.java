package ai.higress.routing;

import static ai.higress.routing.RoutingFixtures.HEALTH;
import static ai.higress.routing.RoutingFixtures.keyedProvider;
import static ai.higress.routing.RoutingFixtures.provider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderKey;
import ai.higress.error.ErrorKind;
import ai.higress.provider.Target;
import ai.higress.routing.RoutingFixtures.FakeTicker;

import org.junit.jupiter.api.Test;

class HealthTrackerTest {
    private static final long SECOND = 1_000_000_000L;

    private final FakeTicker clock = new FakeTicker(500 * SECOND);
    private final List<String> tracked = new ArrayList<>();
    private final HealthTracker health = new HealthTracker(HEALTH, clock, () -> new SplittableRandom(1),
            new RoutingListener() {
                @Override
                public void targetTracked(String label, CircuitBreaker breaker, Ticker ticker) {
                    tracked.add(label);
                }
            });
    private final SplittableRandom generator = new SplittableRandom(2024);

    private Map<String, Integer> picks(ProviderConfig provider, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            ProviderKey key = health.pickKey(provider, clock.nanos(), generator).orElseThrow();
            counts.merge(key.id(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void keysArePickedByWeight() {
        ProviderConfig provider = keyedProvider("p", 1, 3);
        int n = 20_000;
        Map<String, Integer> counts = picks(provider, n);
        // Binomial(20,000, 0.25): sd ~61; 5 sd (306) is exceeded by a correct draw with probability < 6e-7
        double expected = n * 0.25;
        double bound = 5 * Math.sqrt(n * 0.25 * 0.75);
        assertTrue(Math.abs(counts.get("p#0") - expected) <= bound, counts.toString());
        assertEquals(n, counts.get("p#0") + counts.get("p#1"));
    }

    @Test
    void aKeylessProviderGetsTheNoneKey() {
        ProviderConfig local = provider("local", "m");
        assertEquals(Optional.of(ProviderKey.none("local")), health.pickKey(local, clock.nanos(), generator));
        assertEquals("local#none", health.leastCooledKey(local, clock.nanos()).id());
        assertTrue(health.hasUsableKey(local, clock.nanos()));
    }

    @Test
    void aRateLimitOnOneKeyCoolsOnlyThatKey() {
        ProviderConfig provider = keyedProvider("p", 1, 1);
        Target target = new Target(provider, "m", 1);
        ProviderKey first = provider.keys().get(0);
        health.onFailure(target.withKey(first), ErrorKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(30)));

        HealthSnapshot key = health.keySnapshots().get("p#0");
        assertEquals(CircuitState.OPEN, key.state());
        assertEquals(30 * SECOND, key.cooldownNanosLeft());
        assertEquals("rate limited", key.reason());
        assertEquals(CircuitState.CLOSED, health.target(target).state(clock.nanos()), "the target keeps serving");
        assertEquals(0, health.target(target).snapshot(clock.nanos()).windowAttempts());
        assertEquals(CircuitState.CLOSED, health.key(provider.keys().get(1)).state(clock.nanos()));
        assertTrue(health.hasUsableKey(provider, clock.nanos()));
        assertEquals(Map.of("p#1", 1_000), picks(provider, 1_000), "the other key serves everything");

        // once the Retry-After has passed, the cooled key gets a probe again
        clock.advance(Duration.ofSeconds(30));
        assertEquals(CircuitState.HALF_OPEN, health.key(first).state(clock.nanos()));
    }

    @Test
    void whenEveryKeyCoolsTheProviderHasNoUsableKey() {
        ProviderConfig provider = keyedProvider("p", 5, 1, 1);
        Target target = new Target(provider, "m", 1);
        health.onFailure(target.withKey(provider.keys().get(0)), ErrorKind.RATE_LIMITED,
                Optional.of(Duration.ofSeconds(40)));
        health.onFailure(target.withKey(provider.keys().get(1)), ErrorKind.RATE_LIMITED,
                Optional.of(Duration.ofSeconds(20)));
        assertTrue(health.hasUsableKey(provider, clock.nanos()));
        health.onFailure(target.withKey(provider.keys().get(2)), ErrorKind.AUTH, Optional.empty());
        assertFalse(health.hasUsableKey(provider, clock.nanos()));
        assertEquals(Optional.empty(), health.pickKey(provider, clock.nanos(), generator));
        assertEquals("p#1", health.leastCooledKey(provider, clock.nanos()).id(), "20 s left, the soonest");
        clock.advance(Duration.ofSeconds(25));
        assertEquals("p#1", health.leastCooledKey(provider, clock.nanos()).id(), "half-open now: 0 left");
        assertTrue(health.hasUsableKey(provider, clock.nanos()), "a half-open key may take a probe");
        assertEquals(Optional.of(provider.keys().get(1)), health.pickKey(provider, clock.nanos(), generator));
        assertEquals(Optional.empty(), health.pickKey(provider, clock.nanos(), generator),
                "the only half-open key's probe is taken");
        // the probe is cancelled (a lost hedge): the slot is free again
        health.onCancelled(target.withKey(provider.keys().get(1)));
        assertEquals(Optional.of(provider.keys().get(1)), health.pickKey(provider, clock.nanos(), generator));
        // and its success closes the key
        health.onSuccess(target.withKey(provider.keys().get(1)), 50_000_000);
        assertEquals(CircuitState.CLOSED, health.key(provider.keys().get(1)).state(clock.nanos()));
    }

    @Test
    void anAuthFailureCoolsTheKeyForTheAuthCooldown() {
        ProviderConfig provider = keyedProvider("p", 1, 1);
        Target target = new Target(provider, "m", 1);
        health.onFailure(target.withKey(provider.keys().get(1)), ErrorKind.AUTH, Optional.empty());
        HealthSnapshot key = health.keySnapshots().get("p#1");
        assertEquals(CircuitState.OPEN, key.state());
        assertEquals(Duration.ofMinutes(10).toNanos(), key.cooldownNanosLeft());
        assertEquals("upstream rejected the credentials", key.reason());
        assertEquals(CircuitState.CLOSED, health.target(target).state(clock.nanos()));
        assertEquals(Map.of("p#0", 100), picks(provider, 100));
    }

    @Test
    void aKeylessProviderCoolsTheTargetOnA429() {
        ProviderConfig local = provider("local", "m");
        Target target = new Target(local, "m", 1);
        health.onFailure(target.withKey(ProviderKey.none("local")), ErrorKind.RATE_LIMITED,
                Optional.of(Duration.ofSeconds(3)));
        HealthSnapshot snapshot = health.target(target).snapshot(clock.nanos());
        assertEquals(CircuitState.OPEN, snapshot.state());
        assertEquals(3 * SECOND, snapshot.cooldownNanosLeft());
        assertEquals(Map.of(), health.keySnapshots(), "no key breaker for a keyless provider");
        assertTrue(health.hasUsableKey(local, clock.nanos()), "keys are not the problem");
    }

    @Test
    void otherProviderFaultsAreChargedToTheTargetNotTheKey() {
        ProviderConfig provider = keyedProvider("p", 1);
        Target target = new Target(provider, "m", 1).withKey(provider.keys().getFirst());
        health.onFailure(target, ErrorKind.SERVER, Optional.empty());
        health.onFailure(target, ErrorKind.BAD_REQUEST, Optional.empty());
        HealthSnapshot targetHealth = health.targetSnapshots().get("p/m");
        assertEquals(1, targetHealth.windowFailures());
        assertEquals(1, targetHealth.consecutiveFailures());
        assertEquals(0, health.keySnapshots().get("p#0").windowAttempts());
        assertEquals(CircuitState.CLOSED, health.keySnapshots().get("p#0").state());
        // a success feeds both
        health.onSuccess(target, 70_000_000);
        assertEquals(2, health.targetSnapshots().get("p/m").windowAttempts());
        assertEquals(0, health.targetSnapshots().get("p/m").consecutiveFailures());
        assertEquals(1, health.keySnapshots().get("p#0").windowAttempts());
        assertEquals(70_000_000.0, health.keySnapshots().get("p#0").latencyNanos());
    }

    @Test
    void breakersAreSharedPerLabelAndKeyIdAndAnnouncedOnce() {
        ProviderConfig provider = keyedProvider("p", 1, 1);
        Target plain = new Target(provider, "m", 1);
        Target keyed = plain.withKey(provider.keys().get(1));
        Target other = new Target(provider, "n", 2);
        assertSame(health.target(plain), health.target(keyed), "the key is not part of the target's label");
        assertNotSame(health.target(plain), health.target(other));
        assertSame(health.key(provider.keys().get(0)), health.key(provider.keys().get(0)));
        assertNotSame(health.key(provider.keys().get(0)), health.key(provider.keys().get(1)));
        health.target(plain);
        assertEquals(List.of("p/m", "p/n"), tracked);
        assertEquals(List.of("p/m", "p/n"), List.copyOf(health.targetSnapshots().keySet()));
        assertSame(clock, health.ticker());
    }
}
