package ai.higress.testing;

import java.io.IOException;
import java.util.List;

import redis.clients.jedis.Jedis;
import redis.embedded.RedisSentinel;

/**
 * A real Sentinel deployment of one test's own: a primary, one replica of it, and one {@code redis-server --sentinel}
 * process (quorum 1) monitoring the primary as {@value #MASTER_NAME}, all embedded binaries on free ports. A test can
 * stop the primary with {@link #killPrimary()} and the sentinel promotes the replica (within about a second).
 */
public final class LocalRedisSentinel implements AutoCloseable {
    public static final String MASTER_NAME = "higress-test";
    private final LocalRedis primary;
    private final LocalRedis replica;
    private final RedisSentinel sentinel;
    private final int sentinelPort;

    private LocalRedisSentinel(LocalRedis primary, LocalRedis replica, RedisSentinel sentinel, int sentinelPort) {
        this.primary = primary;
        this.replica = replica;
        this.sentinel = sentinel;
        this.sentinelPort = sentinelPort;
    }

    public static LocalRedisSentinel start() {
        LocalRedis primary = LocalRedis.start();
        LocalRedis replica = null;
        try {
            int primaryPort = primary.port();
            replica = LocalRedis.start(LocalRedis.freePort(), builder -> builder.slaveOf("127.0.0.1", primaryPort));
            int port = LocalRedis.freePort();
            RedisSentinel sentinel = RedisSentinel.newRedisSentinel().bind("127.0.0.1").port(port)
                    .masterPort(primaryPort).masterName(MASTER_NAME).quorumSize(1)
                    .downAfterMilliseconds(500).failOverTimeout(2000).build();
            sentinel.start();
            return new LocalRedisSentinel(primary, replica, sentinel, port);
        } catch (IOException | RuntimeException e) {
            primary.close();
            if (replica != null) {
                replica.close();
            }
            throw new IllegalStateException("Cannot start the embedded Redis Sentinel: " + e.getMessage(), e);
        }
    }

    /** {@code host:port} of the sentinel, for {@code redis.sentinel.nodes}. */
    public List<String> sentinels() {
        return List.of("127.0.0.1:" + sentinelPort);
    }

    public int primaryPort() {
        return primary.port();
    }

    public int replicaPort() {
        return replica.port();
    }

    /** Stops the primary; the sentinel then fails over to the replica. */
    public void killPrimary() {
        primary.stop();
    }

    /** The port of the server the sentinel currently names as primary. */
    public int currentPrimaryPort() {
        try (Jedis jedis = new Jedis("127.0.0.1", sentinelPort)) {
            return Integer.parseInt(jedis.sentinelGetMasterAddrByName(MASTER_NAME).get(1));
        }
    }

    @Override
    public void close() {
        try {
            sentinel.stop();
        } catch (IOException e) {
            // the process is gone with the JVM at the latest
        }
        replica.close();
        primary.close();
    }
}
