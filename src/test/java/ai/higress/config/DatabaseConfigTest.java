package ai.higress.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.EnvironmentVariables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatabaseConfigTest {
    private static final String PG_URL = "jdbc:postgresql://db.internal:5432/higress";

    private static DatabaseConfig yaml(String yaml) {
        return GatewayConfig.create(Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML))).database();
    }

    /** What the environment-variables source yields, with Helidon's aliases (DATABASE_URL is also database.url). */
    @SuppressWarnings("removal")
    private static DatabaseConfig environment(Map<String, String> variables) {
        return GatewayConfig.create(Config.just(ConfigSources.create(EnvironmentVariables.expand(variables))))
                .database();
    }

    private static void fails(String yaml, String key, String problem) {
        ConfigException failure = assertThrows(ConfigException.class, () -> yaml(yaml));
        assertTrue(failure.getMessage().startsWith(key + ": " + problem), failure.getMessage());
    }

    @Test
    void defaultsToAnEmbeddedH2FileThatMigratesItself() {
        DatabaseConfig config = yaml("server: {}");
        assertEquals(DatabaseConfig.DEFAULTS, config);
        assertEquals("jdbc:h2:file:./data/higress;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                config.url());
        assertEquals(10, config.poolSize());
        assertEquals(Duration.ofSeconds(5), config.connectionTimeout());
        assertTrue(config.autoMigrate());
        assertFalse(config.isPostgres());
    }

    @Test
    void databaseUrlFromTheEnvironmentMeansNoAutoMigrationForPostgres() {
        DatabaseConfig config = environment(Map.of("DATABASE_URL", PG_URL));
        assertEquals(PG_URL, config.url());
        assertTrue(config.isPostgres());
        assertFalse(config.autoMigrate(), "a server database is migrated on purpose, not by default");
    }

    @ParameterizedTest
    @CsvSource({
            "jdbc:postgresql://db/x, true, true",
            "jdbc:h2:mem:x, false, false",
            "jdbc:h2:tcp://h2server/x, true, true"})
    void enableAutoMigrationOverridesTheDefault(String url, String variable, boolean expected) {
        assertEquals(expected, environment(Map.of("DATABASE_URL", url, "ENABLE_AUTO_MIGRATION", variable))
                .autoMigrate());
    }

    @Test
    void autoMigrateKeyWinsOverEnableAutoMigration() {
        assertFalse(yaml("""
                ENABLE_AUTO_MIGRATION: true
                database:
                  url: %s
                  auto-migrate: false
                """.formatted(PG_URL)).autoMigrate());
    }

    @Test
    void h2ServerIsNotEmbedded() {
        assertTrue(DatabaseConfig.isEmbeddedH2("jdbc:h2:mem:test"));
        assertTrue(DatabaseConfig.isEmbeddedH2("jdbc:h2:file:./data/x"));
        assertFalse(DatabaseConfig.isEmbeddedH2("jdbc:h2:tcp://localhost/x"));
        assertFalse(DatabaseConfig.isEmbeddedH2("jdbc:h2:ssl://localhost/x"));
        assertFalse(environment(Map.of("DATABASE_URL", "jdbc:h2:tcp://localhost/x")).autoMigrate());
    }

    @Test
    void readsEveryKey() {
        DatabaseConfig config = yaml("""
                database:
                  url: %s
                  username: higress
                  password: s3cret-database-password
                  pool-size: 32
                  connection-timeout: PT2S
                  auto-migrate: true
                """.formatted(PG_URL));
        assertEquals(new DatabaseConfig(PG_URL, Optional.of("higress"), Optional.of(Secret.of("s3cret-database-password")),
                32, Duration.ofSeconds(2), true), config);
    }

    @Test
    void neverPrintsThePasswordEvenInTheUrl() {
        DatabaseConfig config = yaml("""
                database:
                  url: "jdbc:postgresql://db/x?user=higress&password=url-secret&ssl=true"
                  password: key-secret
                """);
        String printed = config.toString();
        assertFalse(printed.contains("url-secret"), printed);
        assertFalse(printed.contains("key-secret"), printed);
        assertTrue(printed.contains("jdbc:postgresql://db/x?user=higress&password=****&ssl=true"), printed);
    }

    @Test
    void invalidValuesNameTheirKey() {
        fails("database: {url: 'jdbc:mysql://db/x?password=p'}", "database.url",
                "must be a jdbc:postgresql: or jdbc:h2: URL, was 'jdbc:mysql:…'");
        fails("database: {pool-size: 0}", "database.pool-size", "must be between 1 and 1000");
        fails("database: {pool-size: many}", "database.pool-size", "expected a whole number");
        fails("database: {connection-timeout: PT0.1S}", "database.connection-timeout", "must be at least PT0.25S");
        fails("database: {connection-timeout: 5s}", "database.connection-timeout", "expected an ISO-8601 duration");
        fails("database: {auto-migrate: maybe}", "database.auto-migrate", "expected true or false");
        fails("ENABLE_AUTO_MIGRATION: maybe", "ENABLE_AUTO_MIGRATION", "expected true or false");
    }
}
