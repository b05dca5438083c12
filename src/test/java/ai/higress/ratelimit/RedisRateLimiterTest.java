package ai.higress.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import ai.higress.config.RedisConfig;
import ai.higress.redis.RedisListener;
import ai.higress.redis.RedisStore;
import ai.higress.testing.EmbeddedRedisServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The Lua limiter against a real Redis started by the test itself. */
class RedisRateLimiterTest extends RateLimiterContract {
    private static RedisStore store;
    private static RedisClient inspector;
    private static RedisRateLimiter limiter;

    @BeforeAll
    static void connect() {
        // a database of its own on the shared server: the test asserts on every key it holds
        String url = EmbeddedRedisServer.url() + "/11";
        store = RedisStore.create(RedisConfig.standalone(URI.create(url), 64, java.time.Duration.ofSeconds(2)),
                RedisListener.NONE);
        inspector = RedisClient.create(URI.create(url));
        limiter = new RedisRateLimiter(store);
    }

    @AfterAll
    static void close() {
        inspector.close();
        store.close();
    }

    @Override
    RateLimiter limiter() {
        return limiter;
    }

    @Test
    void everyKeyIsNamespacedAndExpires() {
        String key = newKey();
        Reservation reservation = limiter.acquire(key,
                new Quota(java.util.OptionalInt.of(5), java.util.OptionalInt.of(500)), 100).reservation().orElseThrow();
        limiter.reconcile(reservation, 30);
        List<String> keys = RedisRateLimiter.keys(key);
        assertEquals(List.of("higress:rl:{" + key + "}:req", "higress:rl:{" + key + "}:tok",
                "higress:rl:{" + key + "}:tok:sum"), keys);
        for (String redisKey : keys) {
            long ttl = inspector.pttl(redisKey);
            assertTrue(ttl > 55_000 && ttl <= 61_000, redisKey + " expires a second after its window: " + ttl);
        }
        assertEquals("30", inspector.get(keys.get(2)), "the total is the reconciled usage");
        for (String redisKey : allKeys()) {
            assertTrue(redisKey.startsWith("higress:rl:"), "namespaced: " + redisKey);
            assertTrue(inspector.pttl(redisKey) > 0, "every key has a TTL: " + redisKey);
        }
    }

    @Test
    void scriptsAreReloadedAfterRedisForgetsThem() {
        inspector.scriptFlush();
        String key = newKey();
        assertTrue(limiter.acquire(key, rpm(1), 0).allowed(), "NOSCRIPT falls back to EVAL");
        assertFalse(limiter.acquire(key, rpm(1), 0).allowed());
    }

    private static List<String> allKeys() {
        List<String> keys = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = inspector.scan(cursor, new ScanParams().count(500));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }
}
