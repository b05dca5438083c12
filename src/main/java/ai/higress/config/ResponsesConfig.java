package ai.higress.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * What the gateway keeps of the Responses API answers it serves, for {@code GET /v1/responses/{id}} and
 * {@code previous_response_id}.
 *
 * @param storeTtl       how long a stored response lives, counted from its creation (reads do not extend it)
 * @param maxStoredBytes the largest stored record (the response and the conversation up to it); a larger one is served
 *                       but not stored, so it cannot be continued
 * @param maxLocalBytes  total bytes the in-process store keeps when there is no {@code redis.url} (least recently used
 *                       records are dropped first)
 */
public record ResponsesConfig(Duration storeTtl, int maxStoredBytes, long maxLocalBytes) {
    public static final ResponsesConfig DEFAULTS = new ResponsesConfig(Duration.ofDays(30), 4 * 1024 * 1024,
            256L * 1024 * 1024);

    public static ResponsesConfig create(Config node) {
        Duration ttl = Nodes.duration(node.get("store-ttl"), DEFAULTS.storeTtl());
        if (ttl.toSeconds() < 1 || ttl.compareTo(Duration.ofDays(365)) > 0) {
            throw new ConfigException(Nodes.key(node.get("store-ttl")), "must be between 1 second and 365 days");
        }
        int maxStored = (int) Nodes.size(node.get("max-stored-bytes"), DEFAULTS.maxStoredBytes(), 1024,
                512L * 1024 * 1024);
        long maxLocal = Nodes.size(node.get("max-local-bytes"), DEFAULTS.maxLocalBytes(), 1024,
                64L * 1024 * 1024 * 1024);
        if (maxLocal < maxStored) {
            throw new ConfigException(Nodes.key(node.get("max-local-bytes")),
                    "must be at least responses.max-stored-bytes (" + maxStored + ")");
        }
        return new ResponsesConfig(ttl, maxStored, maxLocal);
    }
}
