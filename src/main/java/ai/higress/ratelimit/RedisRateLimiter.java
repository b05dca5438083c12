package ai.higress.ratelimit;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import ai.higress.redis.RedisScript;
import ai.higress.redis.RedisStore;

/**
 * The limiter shared by every replica: the windows live in Redis under {@code higress:rl:{<key>}:...} (the hash tag
 * keeps a key's entries in one cluster slot), each check is one Lua script, every key expires a second after its
 * window.
 */
public final class RedisRateLimiter implements RateLimiter {
    static final String PREFIX = "higress:rl:";
    private static final RedisScript ACQUIRE = RedisScript.resource(RedisRateLimiter.class, "acquire.lua");
    private static final RedisScript RECONCILE = RedisScript.resource(RedisRateLimiter.class, "reconcile.lua");

    private final RedisStore store;

    public RedisRateLimiter(RedisStore store) {
        this.store = store;
    }

    @Override
    public Decision acquire(String key, Quota quota, long tokens) {
        String id = newId();
        Object reply = store.eval(ACQUIRE, keys(key), List.of(
                Integer.toString(quota.requestsPerMinute().orElse(-1)),
                Integer.toString(quota.tokensPerMinute().orElse(-1)),
                Long.toString(tokens), id, Long.toString(WINDOW_MILLIS)));
        List<?> values = (List<?>) reply;
        boolean allowed = number(values, 0) == 1;
        long refusedBy = number(values, 1);
        Optional<WindowState> requests = quota.requestsPerMinute().isPresent()
                ? Optional.of(new WindowState(quota.requestsPerMinute().getAsInt(), number(values, 2),
                        Duration.ofMillis(number(values, 3))))
                : Optional.empty();
        Optional<WindowState> tokenWindow = quota.tokensPerMinute().isPresent()
                ? Optional.of(new WindowState(quota.tokensPerMinute().getAsInt(), number(values, 4),
                        Duration.ofMillis(number(values, 5))))
                : Optional.empty();
        Optional<Reservation> reservation = allowed && quota.tokensPerMinute().isPresent()
                ? Optional.of(new Reservation(key, id, tokens)) : Optional.empty();
        Optional<LimitKind> by = refusedBy == 1 ? Optional.of(LimitKind.REQUESTS)
                : refusedBy == 2 ? Optional.of(LimitKind.TOKENS) : Optional.empty();
        return new Decision(allowed, by, requests, tokenWindow, reservation, Duration.ofMillis(number(values, 6)));
    }

    @Override
    public void reconcile(Reservation reservation, long actualTokens) {
        if (actualTokens == reservation.tokens()) {
            return;
        }
        List<String> keys = keys(reservation.key());
        store.eval(RECONCILE, keys.subList(1, 3), List.of(reservation.id() + ":" + reservation.tokens(),
                Long.toString(Math.max(0, actualTokens)), reservation.id(), Long.toString(WINDOW_MILLIS)));
    }

    /** The Redis keys of one limited key: requests, token reservations, token total. */
    static List<String> keys(String key) {
        String base = PREFIX + "{" + key + "}:";
        return List.of(base + "req", base + "tok", base + "tok:sum");
    }

    private static long number(List<?> values, int index) {
        return ((Number) values.get(index)).longValue();
    }

    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    }
}
