package ai.higress.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import ai.higress.config.AuthStyle;
import ai.higress.config.ConcurrencyConfig;
import ai.higress.config.FailurePolicy;
import ai.higress.config.ModelCapabilities;
import ai.higress.config.PathStyle;
import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderKey;
import ai.higress.config.ProviderPreset;
import ai.higress.config.ProviderType;
import ai.higress.config.RedisConfig;
import ai.higress.config.Secret;
import ai.higress.config.TimeoutsConfig;
import ai.higress.redis.RedisListener;
import ai.higress.redis.RedisStore;
import ai.higress.testing.LocalRedis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Caps held in a real Redis by two replicas, with leases that lapse when their holder stops renewing them. */
class RedisConcurrencyCapsTest {
    private static final ConcurrencyConfig TWO_SECONDS = new ConcurrencyConfig(Duration.ofSeconds(2));
    private static final ProviderKey KEYLESS = ProviderKey.none("p");

    private LocalRedis redis;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrencyListener listener = new ConcurrencyListener() {
        @Override
        public void refused(String provider, Cap cap) {
            events.add("refused:" + cap.tag());
        }

        @Override
        public void countedLocally(String provider) {
            events.add("local");
        }
    };

    @BeforeEach
    void start() {
        redis = LocalRedis.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable resource : closing.reversed()) {
            resource.close();
        }
        redis.close();
    }

    private ConcurrencyCaps replica(FailurePolicy policy) {
        RedisStore store = RedisStore.create(RedisConfig.standalone(URI.create(redis.url()), 64,
                Duration.ofMillis(300)), RedisListener.NONE);
        closing.add(store);
        ConcurrencyCaps caps = ConcurrencyCaps.create(Optional.of(store), TWO_SECONDS, policy, listener);
        closing.add(caps);
        return caps;
    }

    private static ProviderConfig provider(int cap) {
        return new ProviderConfig("p", ProviderType.OPENAI, ProviderPreset.CUSTOM, URI.create("http://p.invalid/v1"),
                List.of(), AuthStyle.NONE, PathStyle.STANDARD, "", Map.of(), List.of("m"), ModelCapabilities.ALL,
                Map.of(), cap, true, TimeoutsConfig.DEFAULTS);
    }

    private static boolean granted(Acquisition acquisition) {
        return acquisition instanceof Acquisition.Granted;
    }

    @Test
    void twoReplicasUnderContentionGrantExactlyTheCapBetweenThem() throws InterruptedException {
        ConcurrencyCaps a = replica(FailurePolicy.FAIL_OPEN);
        ConcurrencyCaps b = replica(FailurePolicy.FAIL_OPEN);
        ProviderConfig provider = provider(3);
        AtomicInteger grants = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ConcurrencyCaps replica = i % 2 == 0 ? a : b;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                if (granted(replica.acquire(provider, KEYLESS))) {
                    grants.incrementAndGet();
                }
            }));
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(3, grants.get());
        try (RedisClient inspector = RedisClient.create(URI.create(redis.url()))) {
            assertEquals(3, inspector.zcard("higress:conc:{p}"));
            long ttl = inspector.pttl("higress:conc:{p}");
            assertTrue(ttl > 0 && ttl <= 2000, "the set expires with its newest lease: " + ttl);
        }
    }

    @Test
    void aReleasedLeaseFreesItsPlaceOnEveryReplica() {
        ConcurrencyCaps a = replica(FailurePolicy.FAIL_OPEN);
        ConcurrencyCaps b = replica(FailurePolicy.FAIL_OPEN);
        Acquisition held = a.acquire(provider(1), KEYLESS);
        assertInstanceOf(Acquisition.Granted.class, held);
        assertEquals(new Acquisition.Busy(Cap.PROVIDER), b.acquire(provider(1), KEYLESS));
        ((Acquisition.Granted) held).lease().close();
        assertTrue(granted(b.acquire(provider(1), KEYLESS)));
    }

    @Test
    void theLeasesOfAReplicaThatStoppedRenewingLapseAndFreeTheirPlaces() {
        ConcurrencyCaps crashed = replica(FailurePolicy.FAIL_OPEN);
        ConcurrencyCaps survivor = replica(FailurePolicy.FAIL_OPEN);
        assertTrue(granted(crashed.acquire(provider(2), KEYLESS)));
        assertTrue(granted(crashed.acquire(provider(2), KEYLESS)));
        crashed.close(); // stops renewing and never releases, as a killed process would
        assertEquals(new Acquisition.Busy(Cap.PROVIDER), survivor.acquire(provider(2), KEYLESS));
        await(() -> granted(survivor.acquire(provider(2), KEYLESS)), Duration.ofSeconds(10));
    }

    @Test
    void aRenewalPushesEveryHeldLeaseForward() throws InterruptedException {
        RedisStore store = RedisStore.create(RedisConfig.standalone(URI.create(redis.url()), 8, Duration.ofMillis(300)),
                RedisListener.NONE);
        closing.add(store);
        RedisConcurrencyLimiter limiter = new RedisConcurrencyLimiter(store, new ConcurrencyConfig(Duration.ofHours(1)));
        closing.add(limiter);
        Slot slot = new Slot("p", 5, "p#0", 2);
        assertTrue(granted(limiter.acquire(slot)));
        try (RedisClient inspector = RedisClient.create(URI.create(redis.url()))) {
            String member = inspector.zrange("higress:conc:{p}", 0, -1).getFirst();
            double before = inspector.zscore("higress:conc:{p}:key:p#0", member);
            Thread.sleep(20);
            limiter.renew();
            assertTrue(inspector.zscore("higress:conc:{p}", member) > before, "the provider's lease moved on");
            assertTrue(inspector.zscore("higress:conc:{p}:key:p#0", member) > before, "and the key's");
        }
        assertEquals(1, limiter.held());
    }

    @Test
    void withRedisDownFailOpenCountsInThisProcessAndFailClosedRefuses() {
        ConcurrencyCaps open = replica(FailurePolicy.FAIL_OPEN);
        ConcurrencyCaps closed = replica(FailurePolicy.FAIL_CLOSED);
        redis.stop();
        assertTrue(granted(open.acquire(provider(1), KEYLESS)), "fail-open: counted here");
        assertEquals(new Acquisition.Busy(Cap.PROVIDER), open.acquire(provider(1), KEYLESS),
                "the cap still holds on this replica");
        assertEquals(new Acquisition.Busy(Cap.UNAVAILABLE), closed.acquire(provider(1), KEYLESS));
        assertTrue(granted(closed.acquire(provider(ProviderConfig.DEFAULT_MAX_CONCURRENCY), KEYLESS)),
                "an uncapped provider never needs Redis");
        assertEquals(List.of("local", "local", "refused:provider", "refused:unavailable"), events);

        redis.restart();
        await(() -> granted(closed.acquire(provider(1), KEYLESS)), Duration.ofSeconds(10));
    }

    private static void await(BooleanSupplier condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
