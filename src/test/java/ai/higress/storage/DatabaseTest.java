package ai.higress.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;

import ai.higress.config.DatabaseConfig;
import ai.higress.testing.Migrations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    private static DatabaseConfig config(String url, Duration timeout) {
        return new DatabaseConfig(url, Optional.empty(), Optional.empty(), 2, timeout, false);
    }

    @Test
    void unreachableDatabaseFailsFastWithAMessageNamingTheKey() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/higress?user=higress&password=hunter2-secret";
        long started = System.nanoTime();

        DatabaseUnavailableException failure = assertThrows(DatabaseUnavailableException.class,
                () -> Database.create(config(url, Duration.ofMillis(500))));

        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0, "fails fast");
        String message = failure.getMessage();
        assertTrue(message.startsWith("database.url: cannot connect to jdbc:postgresql://127.0.0.1:" + port
                + "/higress?user=higress&password=**** within PT0.5S: "), message);
        assertTrue(message.contains("refused"), message);
        assertFalse(message.contains("hunter2"), message);
        assertEquals(0, failure.getStackTrace().length, "no stack trace for an operator's problem");
        assertNull(failure.getCause());
    }

    @Test
    void embeddedH2FileGetsAnOwnerOnlyDirectoryAndKeepsItsData(@TempDir Path temp) throws IOException {
        Path directory = temp.resolve("data");
        DatabaseConfig config = config("jdbc:h2:file:" + directory.resolve("higress") + H2_OPTIONS,
                Duration.ofSeconds(5));

        try (Database database = Database.create(config)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
            assertTrue(database.ping());
            assertEquals(Migrations.versioned(), database.migrate(), "every migration applied");
            new ConfigVersionRepository(database.dbClient(), java.time.Clock.systemUTC()).bump();
        }
        try (Database reopened = Database.create(config)) {
            assertEquals(0, reopened.migrate(), "the schema survived in the file");
            assertEquals(2, new ConfigVersionRepository(reopened.dbClient(), java.time.Clock.systemUTC()).current());
        }
    }

    @Test
    void closedDatabaseFailsPing() {
        Database database = Database.create(config("jdbc:h2:mem:ping" + H2_OPTIONS, Duration.ofSeconds(5)));
        assertTrue(database.ping());
        database.close();
        assertFalse(database.ping());
    }

    @Test
    void findsTheFileOfEmbeddedH2Urls() {
        assertEquals(Optional.of(Path.of("./data/higress")), Database.embeddedH2File(DatabaseConfig.DEFAULT_URL));
        assertEquals(Optional.of(Path.of("/var/lib/higress/db")), Database.embeddedH2File("jdbc:h2:/var/lib/higress/db"));
        assertEquals(Optional.of(Path.of(System.getProperty("user.home") + "/higress")),
                Database.embeddedH2File("jdbc:h2:file:~/higress;MODE=PostgreSQL"));
        assertEquals(Optional.empty(), Database.embeddedH2File("jdbc:h2:mem:x;MODE=PostgreSQL"));
        assertEquals(Optional.empty(), Database.embeddedH2File("jdbc:h2:tcp://localhost/x"));
        assertEquals(Optional.empty(), Database.embeddedH2File("jdbc:postgresql://localhost/x"));
    }
}
