package ai.higress.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.config.Config;

/**
 * The control plane's database ({@code database.*}; {@code DATABASE_URL} sets {@code database.url} through the
 * environment mapping).
 *
 * @param url               JDBC URL: {@code jdbc:postgresql:} or {@code jdbc:h2:} (an embedded H2 file by default)
 * @param username          user name, unless the URL carries it
 * @param password          password, unless the URL carries it; never printed
 * @param poolSize          most pooled connections
 * @param connectionTimeout how long a caller waits for a connection (and start-up for the first one)
 * @param autoMigrate       apply the schema migrations at start-up: {@code database.auto-migrate}, else
 *                          {@code ENABLE_AUTO_MIGRATION}, else true for an embedded H2 database only
 */
public record DatabaseConfig(String url, Optional<String> username, Optional<Secret> password, int poolSize,
                             Duration connectionTimeout, boolean autoMigrate) {
    static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    public static final String DEFAULT_URL =
            "jdbc:h2:file:./data/higress;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    /** The defaults: the embedded H2 file database, migrated at start-up. */
    public static final DatabaseConfig DEFAULTS = new DatabaseConfig(DEFAULT_URL, Optional.empty(), Optional.empty(),
            10, Duration.ofSeconds(5), true);

    public DatabaseConfig {
        if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
            throw new ConfigException("database.url", "must be a jdbc:postgresql: or jdbc:h2: URL, was '"
                    + scheme(url) + "…'");
        }
        if (poolSize < 1 || poolSize > 1000) {
            throw new ConfigException("database.pool-size", "must be between 1 and 1000, was " + poolSize);
        }
        if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
            throw new ConfigException("database.connection-timeout",
                    "must be at least " + MIN_CONNECTION_TIMEOUT + ", was " + connectionTimeout);
        }
    }

    /**
     * Reads {@code node} ({@code database}); {@code enableAutoMigration} is the root key {@code ENABLE_AUTO_MIGRATION},
     * used when {@code database.auto-migrate} is not set.
     */
    static DatabaseConfig create(Config node, Config enableAutoMigration) {
        String url = Nodes.string(node.get("url"), DEFAULT_URL);
        Optional<Boolean> explicit = node.get("auto-migrate").exists()
                ? Optional.of(Nodes.bool(node.get("auto-migrate"), false))
                : Optional.empty();
        boolean autoMigrate = explicit.orElseGet(() -> Nodes.bool(enableAutoMigration, isEmbeddedH2(url)));
        return new DatabaseConfig(url, Nodes.optionalString(node.get("username")),
                Nodes.optionalString(node.get("password")).map(Secret::of),
                Nodes.integer(node.get("pool-size"), 10, 1, 1000),
                Nodes.duration(node.get("connection-timeout"), Duration.ofSeconds(5)), autoMigrate);
    }

    /** Whether {@code url} names an H2 database inside this process (a file or memory), not an H2 server. */
    public static boolean isEmbeddedH2(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return false;
        }
        String rest = url.substring("jdbc:h2:".length()).toLowerCase(Locale.ROOT);
        return !rest.startsWith("tcp:") && !rest.startsWith("ssl:");
    }

    /** Whether this configuration's database lives inside this process (so a secret may be generated beside it). */
    public boolean isEmbeddedH2() {
        return isEmbeddedH2(url);
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /** The URL with any {@code password=} parameter masked, for messages and logs. */
    public String redactedUrl() {
        return URL_PASSWORD.matcher(url).replaceAll("$1****");
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + redactedUrl() + ", username=" + username.orElse("") + ", password="
                + (password.isPresent() ? "****" : "") + ", poolSize=" + poolSize + ", connectionTimeout="
                + connectionTimeout + ", autoMigrate=" + autoMigrate + "]";
    }

    private static String scheme(String url) {
        int colon = url.indexOf(':', url.startsWith("jdbc:") ? 5 : 0);
        return colon < 0 ? (url.length() > 12 ? url.substring(0, 12) : url) : url.substring(0, colon + 1);
    }
}
