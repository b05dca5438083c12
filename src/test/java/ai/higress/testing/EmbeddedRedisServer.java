package ai.higress.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.locks.ReentrantLock;

import redis.embedded.RedisServer;

/**
 * One real Redis server per test JVM, the binary bundled in {@code com.github.codemonstur:embedded-redis} (6.2), on
 * 127.0.0.1 and a free port, without persistence. Started on first use, shared by every test class, stopped by a
 * shutdown hook. A server that cannot start fails the test with the reason; it is never skipped. Tests that share it
 * use their own key names, so they never see each other's state.
 */
public final class EmbeddedRedisServer {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static RedisServer server;
    private static int port;

    private EmbeddedRedisServer() {
    }

    /** {@code redis://127.0.0.1:<port>} of the running server, starting it on first use. */
    public static String url() {
        LOCK.lock();
        try {
            if (server == null) {
                port = freePort();
                server = build(port);
                start();
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(EmbeddedRedisServer::stop));
            }
            return "redis://127.0.0.1:" + port;
        } finally {
            LOCK.unlock();
        }
    }

    /** Stops the server (to test an outage); {@link #restart()} brings it back on the same port, empty. */
    public static void stop() {
        LOCK.lock();
        try {
            if (server != null && server.isActive()) {
                server.stop();
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot stop the embedded Redis", e);
        } finally {
            LOCK.unlock();
        }
    }

    /** Starts the server again after {@link #stop()}. */
    public static void restart() {
        LOCK.lock();
        try {
            url();
            if (!server.isActive()) {
                start();
            }
        } finally {
            LOCK.unlock();
        }
    }

    private static void start() {
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot start the embedded Redis on 127.0.0.1:" + port
                    + " (com.github.codemonstur:embedded-redis bundled binary): " + e.getMessage(), e);
        }
    }

    private static RedisServer build(int port) {
        try {
            return RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot prepare the embedded Redis binary: " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port for the embedded Redis", e);
        }
    }
}
