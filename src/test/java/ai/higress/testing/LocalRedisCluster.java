package ai.higress.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real three-node Redis Cluster of one test's own: three embedded {@code redis-server}s with
 * {@code cluster-enabled yes}, each given a third of the 16384 hash slots with {@code CLUSTER ADDSLOTS} and joined
 * with {@code CLUSTER MEET} (the bundled binary has no {@code redis-cli --cluster create}). No replicas: the tests
 * exercise slot routing, not failover. Cluster config files live in a temporary directory removed on close.
 */
public final class LocalRedisCluster implements AutoCloseable {
    private static final int SLOTS = 16_384;
    private final List<LocalRedis> nodes;
    private final Path directory;

    private LocalRedisCluster(List<LocalRedis> nodes, Path directory) {
        this.nodes = nodes;
        this.directory = directory;
    }

    /** Starts three nodes and waits (up to 30 s) until every node reports {@code cluster_state:ok}. */
    public static LocalRedisCluster start() {
        Path directory;
        try {
            directory = Files.createTempDirectory("higress-cluster");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<LocalRedis> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                int port = LocalRedis.freePort();
                nodes.add(LocalRedis.start(port, builder -> builder.setting("cluster-enabled yes")
                        .setting("cluster-config-file " + directory.resolve("nodes-" + port + ".conf"))
                        .setting("cluster-node-timeout 2000")));
            }
            LocalRedisCluster cluster = new LocalRedisCluster(nodes, directory);
            cluster.form();
            return cluster;
        } catch (RuntimeException e) {
            LocalRedis.closeAll(nodes);
            throw e;
        }
    }

    private void form() {
        int share = SLOTS / nodes.size();
        for (int i = 0; i < nodes.size(); i++) {
            int from = i * share;
            int to = i == nodes.size() - 1 ? SLOTS : from + share;
            try (Jedis jedis = jedis(i)) {
                jedis.clusterAddSlots(IntStream.range(from, to).toArray());
                if (i > 0) {
                    jedis.clusterMeet("127.0.0.1", nodes.getFirst().port());
                }
            }
        }
        awaitReady();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!ready()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the three-node Redis Cluster did not become ready within 30 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private boolean ready() {
        for (int i = 0; i < nodes.size(); i++) {
            try (Jedis jedis = jedis(i)) {
                if (!jedis.clusterInfo().contains("cluster_state:ok")
                        || jedis.clusterNodes().lines().count() < nodes.size()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Stops every node (a whole-cluster outage); their cluster config files stay for {@link #restart()}. */
    public void stop() {
        nodes.forEach(LocalRedis::stop);
    }

    /** Starts the nodes again on their ports; they rejoin from their config files. Waits until the cluster is ok. */
    public void restart() {
        nodes.forEach(LocalRedis::restart);
        awaitReady();
    }

    /** {@code host:port} of every node, for {@code redis.cluster.nodes}. */
    public List<String> nodes() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port()).toList();
    }

    /** A plain connection to the node that owns {@code key}'s slot, to inspect what the gateway wrote. */
    public Jedis nodeOwning(String key) {
        int slot = JedisClusterCRC16.getSlot(key);
        return jedis(Math.min(nodes.size() - 1, slot / (SLOTS / nodes.size())));
    }

    /** How many nodes hold at least one key: proof that the keys really spread over the cluster. */
    public int nodesHoldingKeys() {
        int holding = 0;
        for (int i = 0; i < nodes.size(); i++) {
            try (Jedis jedis = jedis(i)) {
                if (jedis.dbSize() > 0) {
                    holding++;
                }
            }
        }
        return holding;
    }

    private Jedis jedis(int index) {
        return new Jedis("127.0.0.1", nodes.get(index).port());
    }

    @Override
    public void close() {
        LocalRedis.closeAll(nodes);
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
