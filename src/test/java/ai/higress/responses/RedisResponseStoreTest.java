package ai.higress.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;

import ai.higress.config.RedisConfig;
import ai.higress.redis.RedisListener;
import ai.higress.redis.RedisStore;
import ai.higress.testing.EmbeddedRedisServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The Redis store against a real Redis started by the test itself. */
class RedisResponseStoreTest extends ResponseStoreContract {
    private static RedisStore redis;
    private static RedisClient inspector;
    private static RedisResponseStore store;

    @BeforeAll
    static void connect() {
        String url = EmbeddedRedisServer.url();
        redis = RedisStore.create(RedisConfig.standalone(URI.create(url), 8, Duration.ofSeconds(2)),
                RedisListener.NONE);
        inspector = RedisClient.create(URI.create(url));
        store = new RedisResponseStore(redis);
    }

    @AfterEach
    void forget() {
        removeResponses(inspector);
    }

    @AfterAll
    static void close() {
        inspector.close();
        redis.close();
    }

    /** Deletes every stored response: other tests scan every key of the shared Redis. */
    static void removeResponses(RedisClient client) {
        for (String prefix : new String[] {RedisResponseStore.PREFIX, RedisResponseStore.CLAIM_PREFIX}) {
            client.keys(prefix + "*").forEach(client::del);
        }
    }

    @Override
    ResponseStore store() {
        return store;
    }

    @Override
    void elapse(Duration duration) {
        try {
            // Redis expires by its own clock: the only way to let time pass is to wait (well past the TTL)
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aRecordIsOneNamespacedStringWithItsTtl() {
        String owner = owner();
        store.put(owner, "resp_k", "{}", DAY);
        String key = "higress:response:{" + owner + "}:resp_k";
        assertEquals("{}", inspector.get(key));
        long ttl = inspector.pttl(key);
        assertTrue(ttl > DAY.toMillis() - 60_000 && ttl <= DAY.toMillis(), "expires a day after it was put: " + ttl);
    }
}
