package ai.higress;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import ai.higress.config.ConfigException;
import ai.higress.config.GatewayConfig;
import ai.higress.testing.EmbeddedPostgresServer;
import ai.higress.testing.Migrations;

import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.Test;

import static ai.higress.GatewayServerTest.chatBody;
import static ai.higress.GatewayServerTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The production shape: two gateway replicas on one real PostgreSQL, migrated explicitly, sharing keys and usage. */
class PostgresGatewayTest {
    private static final String ADMIN = "admin-token-for-tests-0123456789";

    private static String yaml(String url, boolean autoMigrate) {
        return """
                demo: {enabled: true, first-token-delay: PT0S, token-interval: PT0S}
                admin: {token: "%s"}
                control-plane: {poll-interval: PT0.2S}
                usage: {flush-interval: PT0.05S}
                database: {url: "%s", auto-migrate: %s}
                """.formatted(ADMIN, url, autoMigrate);
    }

    @Test
    void replicasOnOnePostgresShareKeysAndRecordUsage() throws Exception {
        String url = EmbeddedPostgresServer.createDatabase("gateway");
        ConfigException unmigrated = assertThrows(ConfigException.class, () -> Gateway.create(
                GatewayConfig.create(TestGateway.config(yaml(url, false))), TestGateway.environment(),
                Metrics.globalRegistry(), System.out));
        assertTrue(unmigrated.getMessage().startsWith("database.auto-migrate: the database schema is not up to date"),
                unmigrated.getMessage());

        try (TestGateway a = TestGateway.start(yaml(url, true)); TestGateway b = TestGateway.start(yaml(url, false))) {
            HttpResponse<String> created = a.send(HttpRequest.newBuilder(a.uri("/admin/api/keys"))
                    .header("Authorization", "Bearer " + ADMIN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"pg\"}")).build());
            assertEquals(201, created.statusCode(), created.body());
            String key = parse(created.body()).path("key").asText();

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                status = b.send(HttpRequest.newBuilder(b.uri("/v1/chat/completions"))
                        .header("Authorization", "Bearer " + key)
                        .POST(HttpRequest.BodyPublishers.ofString(chatBody("demo", false, ""))).build()).statusCode();
                if (status != 200) {
                    Thread.sleep(100);
                }
            }
            assertEquals(200, status, "replica B accepts a key created on replica A");
            assertTrue(awaitRows(url, "SELECT COUNT(*) FROM request_log WHERE api_key_id LIKE 'key_%'", 1),
                    "the request is in PostgreSQL's request log");
            assertTrue(awaitRows(url, "SELECT COUNT(*) FROM audit_log WHERE resource_type = 'api_key'", 1));
            assertEquals(Migrations.versioned(), count(url, "SELECT COUNT(*) FROM flyway_schema_history WHERE success"),
                    "every migration applied");
        }
    }

    private static boolean awaitRows(String url, String sql, int atLeast) throws InterruptedException, SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (count(url, sql) >= atLeast) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
