package ai.higress.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * Conversation sessions keyed by the {@code X-Session-Id} header.
 *
 * @param enabled     whether the header is honoured at all (off: ignored, no snippet, no stickiness)
 * @param maxTurns    snippets kept per session (older ones are trimmed)
 * @param maxChars    each stored message text is cut to this many characters
 * @param ttl         sliding expiry: refreshed by every write and read
 * @param storeText   false stores only metadata (model, target, timestamps, tokens), never message text
 * @param maxSessions sessions the in-process store keeps (least recently used ones are dropped first)
 */
public record SessionConfig(boolean enabled, int maxTurns, int maxChars, Duration ttl, boolean storeText,
                            int maxSessions) {
    public static final SessionConfig DEFAULTS = new SessionConfig(true, 20, 2000, Duration.ofHours(1), true, 10_000);

    public static SessionConfig create(Config node) {
        Duration ttl = Nodes.duration(node.get("ttl"), DEFAULTS.ttl());
        if (ttl.toSeconds() < 1 || ttl.compareTo(Duration.ofDays(30)) > 0) {
            throw new ConfigException(Nodes.key(node.get("ttl")), "must be between 1 second and 30 days");
        }
        return new SessionConfig(Nodes.bool(node.get("enabled"), DEFAULTS.enabled()),
                Nodes.integer(node.get("max-turns"), DEFAULTS.maxTurns(), 1, 1000),
                Nodes.integer(node.get("max-chars"), DEFAULTS.maxChars(), 1, 1_000_000), ttl,
                Nodes.bool(node.get("store-text"), DEFAULTS.storeText()),
                Nodes.integer(node.get("max-sessions"), DEFAULTS.maxSessions(), 1, 10_000_000));
    }
}
