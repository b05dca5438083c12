package ai.higress.storage;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import ai.higress.config.DatabaseConfig;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import org.flywaydb.core.Flyway;

/**
 * The control plane's database: one HikariCP pool, the Flyway migrations and a Helidon {@link DbClient} over the pool.
 * {@link #create(DatabaseConfig)} fails fast with a {@link DatabaseUnavailableException} naming {@code database.url}
 * when no connection can be made.
 */
public final class Database implements AutoCloseable {
    static final String POOL_NAME = "higress-db";
    static final String MIGRATIONS = "classpath:db/migration";

    private final DatabaseConfig config;
    private final HikariDataSource pool;
    private final DbClient dbClient;

    private Database(DatabaseConfig config, HikariDataSource pool) {
        this.config = config;
        this.pool = pool;
        this.dbClient = JdbcClientBuilder.create()
                .connectionPool(() -> {
                    try {
                        return pool.getConnection();
                    } catch (SQLException e) {
                        throw new DbClientException("No database connection from pool " + POOL_NAME, e);
                    }
                })
                .build();
    }

    /** Opens the pool and checks that a connection can be made within the configured connection timeout. */
    public static Database create(DatabaseConfig config) {
        embeddedH2File(config.url()).ifPresent(Database::createOwnerOnlyParent);
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(POOL_NAME);
        hikari.setJdbcUrl(config.url());
        config.username().ifPresent(hikari::setUsername);
        config.password().ifPresent(secret -> hikari.setPassword(secret.reveal()));
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
        hikari.setValidationTimeout(Math.min(config.connectionTimeout().toMillis(), 5_000));
        hikari.setInitializationFailTimeout(config.connectionTimeout().toMillis());
        try {
            return new Database(config, new HikariDataSource(hikari));
        } catch (HikariPool.PoolInitializationException e) {
            throw new DatabaseUnavailableException("database.url: cannot connect to " + config.redactedUrl()
                    + " within " + config.connectionTimeout() + ": " + reason(e));
        }
    }

    /**
     * Applies pending migrations from {@code classpath:db/migration}; a no-op when the schema is current.
     *
     * @return the number of migrations applied
     */
    public int migrate() {
        return flyway().migrate().migrationsExecuted;
    }

    /** Migrations in the jar that the database has not applied yet. */
    public int pendingMigrations() {
        return flyway().info().pending().length;
    }

    private Flyway flyway() {
        return Flyway.configure()
                .dataSource(pool)
                .locations(MIGRATIONS)
                .baselineOnMigrate(false)
                .cleanDisabled(true)
                .load();
    }

    public DbClient dbClient() {
        return dbClient;
    }

    public DataSource dataSource() {
        return pool;
    }

    public DatabaseConfig config() {
        return config;
    }

    /** Whether a pooled connection answers within the validation timeout (health checks). */
    public boolean ping() {
        try (Connection connection = pool.getConnection()) {
            return connection.isValid((int) Math.max(1, Duration.ofMillis(pool.getValidationTimeout()).toSeconds()));
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dbClient.close();
        pool.close();
    }

    /** The database file of an embedded H2 file URL ({@code jdbc:h2:[file:]path[;options]}). */
    static Optional<Path> embeddedH2File(String url) {
        if (!DatabaseConfig.isEmbeddedH2(url)) {
            return Optional.empty();
        }
        String rest = url.substring("jdbc:h2:".length());
        int options = rest.indexOf(';');
        String name = options < 0 ? rest : rest.substring(0, options);
        if (name.toLowerCase(Locale.ROOT).startsWith("mem:")) {
            return Optional.empty();
        }
        if (name.toLowerCase(Locale.ROOT).startsWith("file:")) {
            name = name.substring("file:".length());
        }
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        return name.isEmpty() ? Optional.empty() : Optional.of(Path.of(name));
    }

    private static void createOwnerOnlyParent(Path file) {
        Path directory = file.toAbsolutePath().normalize().getParent();
        if (directory == null || Files.isDirectory(directory)) {
            return;
        }
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(directory);
            }
        } catch (IOException e) {
            throw new DatabaseUnavailableException("database.url: cannot create directory " + directory + ": " + e);
        }
    }

    private static String reason(HikariPool.PoolInitializationException failure) {
        Throwable cause = failure.getCause() == null ? failure : failure.getCause();
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message.strip();
    }
}
