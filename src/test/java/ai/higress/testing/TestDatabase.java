package ai.higress.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import ai.higress.config.DatabaseConfig;
import ai.higress.storage.Database;

import io.helidon.dbclient.DbClient;

/**
 * A fresh, migrated control-plane database for one test class on one engine: a new database on the shared embedded
 * PostgreSQL, or a new in-memory H2 in PostgreSQL mode.
 *
 * @param engine   {@code h2} or {@code postgresql}, the display name of parameterized cases
 * @param database the open, migrated database
 */
public record TestDatabase(String engine, Database database) implements AutoCloseable {
    static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    /** Child tables first, so deleting in this order never trips a foreign key. */
    private static final List<String> TABLES = List.of("admin_sessions", "admin_users", "model_targets",
            "logical_models", "provider_models", "provider_keys", "providers", "api_keys", "request_log", "audit_log");

    public static TestDatabase h2(String name) {
        return open("h2", "jdbc:h2:mem:" + name + "_" + System.nanoTime() + H2_OPTIONS);
    }

    public static TestDatabase postgres(String name) {
        return open("postgresql", EmbeddedPostgresServer.createDatabase(name));
    }

    /** An open database whose schema has not been migrated. */
    public static Database unmigrated(String engine, String name) {
        String url = engine.equals("h2") ? "jdbc:h2:mem:" + name + "_" + System.nanoTime() + H2_OPTIONS
                : EmbeddedPostgresServer.createDatabase(name);
        return Database.create(config(url));
    }

    private static TestDatabase open(String engine, String url) {
        Database database = Database.create(config(url));
        database.migrate();
        return new TestDatabase(engine, database);
    }

    static DatabaseConfig config(String url) {
        return new DatabaseConfig(url, Optional.empty(), Optional.empty(), 4, Duration.ofSeconds(10), false);
    }

    public DbClient client() {
        return database.dbClient();
    }

    /** Deletes every row (the schema stays) and sets the config version back to 1. */
    public void reset() {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                statement.executeUpdate("DELETE FROM " + table);
            }
            statement.executeUpdate("UPDATE config_version SET version = 1");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reset the " + engine + " test database", e);
        }
    }

    @Override
    public void close() {
        database.close();
    }

    @Override
    public String toString() {
        return engine;
    }
}
