package ai.higress.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import ai.higress.config.FailurePolicy;
import ai.higress.config.RedisAuth;
import ai.higress.config.RedisConfig;
import ai.higress.config.RedisMode;
import ai.higress.config.RedisNode;
import ai.higress.config.RedisTopology;
import ai.higress.testing.LocalRedis;
import ai.higress.testing.LocalRedisCluster;
import ai.higress.testing.LocalRedisSentinel;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The store on each topology, against real servers: a standalone one, a three-node Cluster, a Sentinel pair. */
class RedisStoreTopologyTest {
    private static final RedisScript SET = RedisScript.of("test-set", """
            redis.call('SET', KEYS[1], ARGV[1])
            return redis.call('GET', KEYS[1])
            """);
    private static final RedisScript PAIR = RedisScript.of("test-pair", "return redis.call('MGET', KEYS[1], KEYS[2])");

    private static RedisConfig config(RedisTopology topology) {
        return new RedisConfig(Optional.of(topology), 8, Duration.ofMillis(500), FailurePolicy.FAIL_OPEN,
                FailurePolicy.FAIL_OPEN, FailurePolicy.FAIL_OPEN);
    }

    private static List<RedisNode> nodes(List<String> addresses) {
        return addresses.stream().map(address -> new RedisNode("127.0.0.1",
                Integer.parseInt(address.substring(address.indexOf(':') + 1)))).toList();
    }

    @Test
    void scriptsWhoseKeysSpanSlotsAreRefusedInEveryModeBeforeAnythingIsSent() {
        try (LocalRedis redis = LocalRedis.start();
             RedisStore store = RedisStore.create(RedisConfig.standalone(java.net.URI.create(redis.url()), 4,
                     Duration.ofMillis(500)), RedisListener.NONE)) {
            assertEquals(RedisMode.STANDALONE, store.mode());
            assertEquals(2, ((List<?>) store.eval(PAIR, List.of("{t}:a", "{t}:b"), List.of())).size());
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> store.eval(PAIR, List.of("a", "b"), List.of()));
            assertTrue(refused.getMessage().contains("hash tag"), refused.getMessage());
        }
    }

    @Test
    void onAClusterEachScriptRunsOnTheNodeOwningItsSlot() {
        try (LocalRedisCluster cluster = LocalRedisCluster.start();
             RedisStore store = RedisStore.create(config(new RedisTopology.Cluster(nodes(cluster.nodes()),
                     RedisAuth.NONE, false, 3)), RedisListener.NONE)) {
            assertEquals(RedisMode.CLUSTER, store.mode());
            assertTrue(store.ping());
            for (int i = 0; i < 30; i++) {
                String key = "{k" + i + "}:value";
                assertEquals("v" + i, store.eval(SET, List.of(key), List.of("v" + i)));
                try (Jedis owner = cluster.nodeOwning(key)) {
                    assertEquals("v" + i, owner.get(key), "written on the node owning the slot");
                }
            }
            assertEquals(3, cluster.nodesHoldingKeys(), "the keys spread over all three nodes");
        }
    }

    @Test
    void throughSentinelTheStoreFollowsAFailover() {
        try (LocalRedisSentinel sentinel = LocalRedisSentinel.start();
             RedisStore store = RedisStore.create(config(new RedisTopology.Sentinel(LocalRedisSentinel.MASTER_NAME,
                     nodes(sentinel.sentinels()), RedisAuth.NONE, RedisAuth.NONE, 0, false)), RedisListener.NONE)) {
            assertEquals(RedisMode.SENTINEL, store.mode());
            assertEquals("before", store.eval(SET, List.of("failover"), List.of("before")));
            try (Jedis primary = new Jedis("127.0.0.1", sentinel.primaryPort())) {
                primary.waitReplicas(1, 2000);
            }
            sentinel.killPrimary();
            await(() -> sentinel.currentPrimaryPort() == sentinel.replicaPort(), Duration.ofSeconds(20));
            await(() -> {
                try {
                    return "after".equals(store.eval(SET, List.of("failover"), List.of("after")));
                } catch (RedisUnavailableException e) {
                    return false;
                }
            }, Duration.ofSeconds(20));
            try (Jedis promoted = new Jedis("127.0.0.1", sentinel.replicaPort())) {
                assertEquals("after", promoted.get("failover"), "the write went to the promoted replica");
            }
        }
    }

    @Test
    void aClusterThatIsDownAtStartUpIsNoErrorAndIsUsedOnceItIsUp() {
        try (LocalRedisCluster cluster = LocalRedisCluster.start()) {
            cluster.stop();
            RedisConfig config = config(new RedisTopology.Cluster(nodes(cluster.nodes()), RedisAuth.NONE, false, 2));
            try (RedisStore store = RedisStore.create(config, RedisListener.NONE)) {
                assertFalse(store.ping());
                assertThrows(RedisUnavailableException.class, () -> store.eval(SET, List.of("k"), List.of("v")));
                cluster.restart();
                await(store::ping, Duration.ofSeconds(20));
                assertEquals("v", store.eval(SET, List.of("k"), List.of("v")));
            }
        }
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
