package ai.higress.ratelimit;

/**
 * Counts requests and tokens per key over a sliding one-minute window. Each check is atomic: under any concurrency
 * no more than the limit is admitted.
 */
public sealed interface RateLimiter permits LocalRateLimiter, RedisRateLimiter {
    /** The window both limits slide over. */
    long WINDOW_MILLIS = 60_000;

    /**
     * Admits one request, reserving {@code tokens} when the quota has a tpm limit, or refuses it without counting.
     *
     * @throws ai.higress.redis.RedisUnavailableException when the shared store cannot be reached
     */
    Decision acquire(String key, Quota quota, long tokens);

    /**
     * Replaces a reservation by the tokens actually used (releasing or adding the difference). A reservation that has
     * already left the window is ignored.
     *
     * @throws ai.higress.redis.RedisUnavailableException when the shared store cannot be reached
     */
    void reconcile(Reservation reservation, long actualTokens);
}
