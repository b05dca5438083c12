package ai.higress.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import ai.higress.testing.Migrations;
import ai.higress.testing.TestDatabase;

import io.helidon.dbclient.DbRow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationTest {
    private static final Set<String> TABLES = Set.of("config_version", "providers", "provider_keys",
            "provider_models", "logical_models", "model_targets", "api_keys", "admin_users", "admin_sessions",
            "request_log", "audit_log", "flyway_schema_history");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void migratesAnEmptyDatabaseOnceAndThenDoesNothing(String engine) {
        try (Database database = TestDatabase.unmigrated(engine, "migration")) {
            assertEquals(Set.of(), tables(database), "nothing before the first migration");

            assertEquals(Migrations.versioned(), database.migrate(), "every migration applied");
            assertEquals(0, database.migrate(), "migrating a current schema is a no-op");

            assertEquals(new TreeSet<>(TABLES), tables(database));
            // H2 also gets a marker row (type TABLE) for the creation of the history table itself
            try (Stream<DbRow> rows = database.dbClient().execute().query("SELECT version, description, success"
                    + " FROM flyway_schema_history WHERE type = 'SQL' ORDER BY installed_rank")) {
                List<String> history = rows.map(row -> row.column("version").get(String.class) + " "
                        + row.column("description").get(String.class) + " "
                        + row.column("success").get(Boolean.class)).toList();
                assertEquals(List.of("1 control plane true", "2 wider request log key id true",
                        "3 provider default max tokens true", "4 model embeddings and reasoning true",
                        "5 session text per key true"), history,
                        "each migration recorded once, successful");
            }
            assertEquals(1L, new ConfigVersionRepository(database.dbClient(), java.time.Clock.systemUTC())
                    .current(), "the seeded config version");
            assertTrue(database.ping());
        }
    }

    private static Set<String> tables(Database database) {
        try (Stream<DbRow> rows = database.dbClient().execute().query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
            return new TreeSet<>(rows.map(row -> row.column("table_name").get(String.class).toLowerCase()).toList());
        }
    }
}
