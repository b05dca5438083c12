package ai.higress.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.function.UnaryOperator;

import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * A real Redis server of one test's own (the binary bundled in {@code com.github.codemonstur:embedded-redis}, 6.2),
 * on 127.0.0.1 and a free port, without persistence. Unlike {@link EmbeddedRedisServer} it is not shared: a test may
 * stop it, restart it or fill it without disturbing any other. A server that cannot start fails the test.
 */
public final class LocalRedis implements AutoCloseable {
    private final int port;
    private final RedisServer server;

    private LocalRedis(int port, RedisServer server) {
        this.port = port;
        this.server = server;
    }

    /** A started standalone server. */
    public static LocalRedis start() {
        return start(freePort(), UnaryOperator.identity());
    }

    /** A started server on {@code port}, its builder adjusted by {@code settings} (cluster mode, replication). */
    static LocalRedis start(int port, UnaryOperator<RedisServerBuilder> settings) {
        try {
            RedisServer server = settings.apply(RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")).build();
            LocalRedis redis = new LocalRedis(port, server);
            redis.restart();
            return redis;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot prepare the embedded Redis binary: " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server (an outage); {@link #restart()} brings it back on the same port, empty. */
    public void stop() {
        try {
            if (server.isActive()) {
                server.stop();
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot stop the embedded Redis on port " + port, e);
        }
    }

    public void restart() {
        if (server.isActive()) {
            return;
        }
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot start the embedded Redis on 127.0.0.1:" + port + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** A free port whose cluster bus port (+10000) is free and valid too. */
    static int freePort() {
        for (int tries = 0; tries < 100; tries++) {
            int port = bind(0);
            if (port + 10_000 <= 65_535 && bind(port + 10_000) > 0) {
                return port;
            }
        }
        throw new IllegalStateException("No free port pair for an embedded Redis");
    }

    private static int bind(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            return -1;
        }
    }

    static void closeAll(List<LocalRedis> servers) {
        servers.forEach(LocalRedis::close);
    }
}
