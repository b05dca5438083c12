package ai.higress.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import ai.higress.config.HealthConfig;
import ai.higress.config.RedisConfig;
import ai.higress.config.SharedHealthConfig;
import ai.higress.error.ErrorKind;
import ai.higress.routing.CircuitState;
import ai.higress.routing.HealthSharing.Scope;
import ai.higress.routing.HealthTracker;
import ai.higress.routing.RoutingListener;
import ai.higress.routing.Ticker;
import ai.higress.testing.EmbeddedRedisServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;

/** Two replicas' health trackers sharing circuits through one real Redis. */
class SharedHealthTest {
    private static final HealthConfig HEALTH = new HealthConfig(Duration.ofSeconds(30), 100, 0.5, 1,
            Duration.ofSeconds(30), Duration.ofMinutes(5), 0.0, Duration.ofSeconds(30), Duration.ofSeconds(10),
            Duration.ofMinutes(10), Duration.ofSeconds(10));

    private RedisStore storeA;
    private RedisStore storeB;
    private HealthTracker a;
    private HealthTracker b;
    private SharedHealth sharedA;
    private SharedHealth sharedB;
    private RedisClient inspector;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final JedisPubSub spy = new JedisPubSub() {
        @Override
        public void onMessage(String channel, String message) {
            messages.add(message);
        }
    };
    private Thread spyThread;

    @BeforeEach
    void start() {
        String url = EmbeddedRedisServer.url();
        storeA = store(url);
        storeB = store(url);
        a = new HealthTracker(HEALTH, Ticker.SYSTEM, SplittableRandom::new, RoutingListener.NONE);
        b = new HealthTracker(HEALTH, Ticker.SYSTEM, SplittableRandom::new, RoutingListener.NONE);
        sharedA = SharedHealth.start(storeA, a, SharedHealthConfig.every(Duration.ofMillis(200)));
        sharedB = SharedHealth.start(storeB, b, SharedHealthConfig.every(Duration.ofMillis(200)));
        inspector = RedisClient.create(URI.create(url));
        spyThread = Thread.ofPlatform().daemon().start(() -> {
            try {
                inspector.subscribe(spy, SharedHealth.CHANNEL);
            } catch (RuntimeException e) {
                // closed
            }
        });
        await(() -> sharedA.subscribed() && sharedB.subscribed() && spy.isSubscribed(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        EmbeddedRedisServer.restart();
        try {
            spy.unsubscribe();
        } catch (RuntimeException e) {
            // already gone
        }
        sharedA.close();
        sharedB.close();
        storeA.close();
        storeB.close();
        inspector.close();
    }

    private static RedisStore store(String url) {
        return RedisStore.create(RedisConfig.standalone(URI.create(url), 8, Duration.ofMillis(300)),
                RedisListener.NONE);
    }

    private static String label() {
        return "p" + UUID.randomUUID().toString().substring(0, 8) + "/m";
    }

    private static void fail(HealthTracker tracker, String label) {
        tracker.target(label).onFailure(Ticker.SYSTEM.nanos(), ErrorKind.SERVER, Optional.empty());
    }

    @Test
    void anOpenOnOneReplicaOpensTheCircuitOnTheOtherAndACloseClosesIt() {
        String label = label();
        fail(a, label);
        assertEquals(CircuitState.OPEN, a.target(label).state(Ticker.SYSTEM.nanos()));
        await(() -> b.targetSnapshots().containsKey(label)
                && b.target(label).state(Ticker.SYSTEM.nanos()) == CircuitState.OPEN, Duration.ofSeconds(1));
        var remote = b.target(label).snapshot(Ticker.SYSTEM.nanos());
        assertEquals("1 consecutive failures (server)", remote.reason());
        assertTrue(remote.cooldownNanosLeft() > Duration.ofSeconds(28).toNanos()
                && remote.cooldownNanosLeft() <= Duration.ofSeconds(30).toNanos(), "A's cooldown, not a new one");

        String key = SharedHealth.key(Scope.TARGET, label);
        long ttl = inspector.pttl(key);
        assertTrue(ttl > 28_000 && ttl <= 30_000, "the key expires with the cooldown: " + ttl);
        assertTrue(inspector.get(key).contains(sharedA.origin()), inspector.get(key));

        a.target(label).onSuccess(Ticker.SYSTEM.nanos(), 1_000_000);
        await(() -> b.target(label).state(Ticker.SYSTEM.nanos()) == CircuitState.CLOSED, Duration.ofSeconds(1));
        assertTrue(inspector.get(key).startsWith("closed\t" + sharedA.origin()),
                "a close replaces the open by a close marker: " + inspector.get(key));
        long markerTtl = inspector.pttl(key);
        assertTrue(markerTtl > 50_000 && markerTtl <= 60_000, "the marker lives a minute: " + markerTtl);

        sleep(600); // several reconcile rounds: nothing is published again
        assertEquals(2, messages.stream().filter(message -> message.contains(label)).count(),
                "one open and one close, no echo: " + messages);
        assertEquals(CircuitState.CLOSED, a.target(label).state(Ticker.SYSTEM.nanos()));
        assertEquals(CircuitState.CLOSED, b.target(label).state(Ticker.SYSTEM.nanos()));
    }

    @Test
    void aRemoteOpenNeverShortensALongerLocalCooldown() {
        String key = "p" + UUID.randomUUID().toString().substring(0, 8) + "#0";
        b.key(key).onFailure(Ticker.SYSTEM.nanos(), ErrorKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(120)));
        a.key(key).onFailure(Ticker.SYSTEM.nanos(), ErrorKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(5)));
        // A learns B's longer cooldown; B keeps its own
        await(() -> a.key(key).snapshot(Ticker.SYSTEM.nanos()).cooldownNanosLeft()
                > Duration.ofSeconds(100).toNanos(), Duration.ofSeconds(1));
        sleep(500);
        assertTrue(b.key(key).snapshot(Ticker.SYSTEM.nanos()).cooldownNanosLeft() > Duration.ofSeconds(100).toNanos());
        long ttl = inspector.pttl(SharedHealth.key(Scope.KEY, key));
        assertTrue(ttl > 100_000, "the shorter open does not shorten the key: " + ttl);
    }

    @Test
    void aMissedMessageIsHealedByTheReconcile() {
        String label = label();
        b.target(label); // known to B
        inspector.set(SharedHealth.key(Scope.TARGET, label), "0\tother-replica\tset behind our back",
                redis.clients.jedis.params.SetParams.setParams().px(20_000));
        await(() -> b.target(label).state(Ticker.SYSTEM.nanos()) == CircuitState.OPEN, Duration.ofSeconds(2));
        assertEquals("set behind our back", b.target(label).snapshot(Ticker.SYSTEM.nanos()).reason());
    }

    @Test
    void withRedisDownEachReplicaKeepsItsLocalHealthAndSharingResumesWhenItIsBack() {
        EmbeddedRedisServer.stop();
        String alone = label();
        fail(a, alone);
        assertEquals(CircuitState.OPEN, a.target(alone).state(Ticker.SYSTEM.nanos()), "local health still works");
        fail(b, label());
        sleep(500);
        assertFalse(b.targetSnapshots().containsKey(alone), "nothing crossed without Redis");

        EmbeddedRedisServer.restart();
        await(() -> sharedA.subscribed() && sharedB.subscribed(), Duration.ofSeconds(10));
        String shared = label();
        fail(a, shared);
        await(() -> b.targetSnapshots().containsKey(shared)
                && b.target(shared).state(Ticker.SYSTEM.nanos()) == CircuitState.OPEN, Duration.ofSeconds(2));
    }

    @Test
    void aCloseThatWasMissedIsHealedByTheReconcileButNeverEndsALocalOpen() {
        String label = label();
        fail(a, label);
        await(() -> b.targetSnapshots().containsKey(label)
                && b.target(label).state(Ticker.SYSTEM.nanos()) == CircuitState.OPEN, Duration.ofSeconds(1));
        // a close published while B was not listening: only the marker in Redis tells of it
        inspector.set(SharedHealth.key(Scope.TARGET, label), "closed\tthird-replica",
                redis.clients.jedis.params.SetParams.setParams().px(20_000));
        await(() -> b.target(label).state(Ticker.SYSTEM.nanos()) == CircuitState.CLOSED, Duration.ofSeconds(2));
        sleep(500); // several reconcile rounds on A too
        assertEquals(CircuitState.OPEN, a.target(label).state(Ticker.SYSTEM.nanos()),
                "A opened it on its own failures; another replica's close marker does not end that");
    }

    @Test
    void anOpenThatCouldNotBePublishedDuringAnOutageIsPublishedWhenRedisIsBack() {
        EmbeddedRedisServer.stop();
        await(() -> !sharedA.subscribed(), Duration.ofSeconds(5));
        String label = label();
        b.target(label); // every replica plans the same targets
        fail(a, label);
        sleep(300); // the publish fails and is kept
        EmbeddedRedisServer.restart();
        await(() -> b.targetSnapshots().containsKey(label)
                && b.target(label).state(Ticker.SYSTEM.nanos()) == CircuitState.OPEN, Duration.ofSeconds(10));
        assertEquals("1 consecutive failures (server)", b.target(label).snapshot(Ticker.SYSTEM.nanos()).reason());
        long ttl = inspector.pttl(SharedHealth.key(Scope.TARGET, label));
        assertTrue(ttl > 0 && ttl <= 30_000, "republished with what was left of the cooldown: " + ttl);
    }

    private static void await(BooleanSupplier condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within);
            }
            sleep(10);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
