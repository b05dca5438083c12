package ai.higress.redis;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import ai.higress.routing.HealthSharing.Scope;

/**
 * What shared health writes to Redis and publishes: key names, the scripts, and the text of values and messages.
 * Fields are tab-separated; reasons never contain a tab (they are the gateway's own words).
 *
 * <p>Every key carries the hash tag {@code {health}}, so the reconcile reads all of them with one script even on a
 * Redis Cluster (one slot holds them all: a few hundred small keys at most).
 */
final class HealthRecords {
    static final String CHANNEL = "higress:health";
    static final String PREFIX = "higress:{health}:";
    static final String SEPARATOR = "\t";
    static final String CLOSED = "closed";

    /**
     * Writes an open unless a longer one is already there (a close marker is always replaced), and publishes it.
     * KEYS: the circuit's key; ARGV: value, cooldown ms, channel, message.
     */
    static final RedisScript OPEN = RedisScript.of("health-open", """
            local current = redis.call('GET', KEYS[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if not current or string.sub(current, 1, 7) == 'closed\t' or ttl < tonumber(ARGV[2]) then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            end
            redis.call('PUBLISH', ARGV[3], ARGV[4])
            return ttl
            """);
    /**
     * Replaces the open by a close marker that outlives it briefly, and publishes the close. KEYS: the circuit's
     * key; ARGV: marker value, marker ttl ms, channel, message.
     */
    static final RedisScript CLOSE = RedisScript.of("health-close", """
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            redis.call('PUBLISH', ARGV[3], ARGV[4])
            return 1
            """);
    /** Every key's value and PTTL: {value or '', pttl, ...}. */
    static final RedisScript READ = RedisScript.of("health-read", """
            local result = {}
            for i, key in ipairs(KEYS) do
              result[2 * i - 1] = redis.call('GET', key) or ''
              result[2 * i] = redis.call('PTTL', key)
            end
            return result
            """);

    private HealthRecords() {
    }

    static String key(Scope scope, String id) {
        return PREFIX + scope.tag() + ":" + id;
    }

    /** An open's value: {@code until-epoch-millis, origin, reason} (the instant is informational only). */
    static String openValue(long cooldownMillis, String origin, String reason) {
        return (System.currentTimeMillis() + cooldownMillis) + SEPARATOR + origin + SEPARATOR + reason;
    }

    static String closedValue(String origin) {
        return CLOSED + SEPARATOR + origin;
    }

    static String message(String kind, Scope scope, String id, long millis, String origin, String reason) {
        return String.join(SEPARATOR, kind, scope.tag(), id, Long.toString(millis), origin, reason);
    }

    /**
     * A value read back.
     *
     * @param closed whether it is a close marker
     * @param origin the replica that wrote it
     * @param reason the open's reason (empty for a close)
     */
    record Stored(boolean closed, String origin, String reason) {
        static Optional<Stored> parse(String value) {
            String[] parts = value.split(SEPARATOR, 3);
            if (parts.length == 2 && parts[0].equals(CLOSED)) {
                return Optional.of(new Stored(true, parts[1], ""));
            }
            if (parts.length == 3) {
                return Optional.of(new Stored(false, parts[1], parts[2]));
            }
            return Optional.empty();
        }
    }

    static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}
