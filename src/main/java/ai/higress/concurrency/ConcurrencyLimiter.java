package ai.higress.concurrency;

/** Counts attempts in flight against their caps. Each acquisition is atomic: never more than a cap is granted. */
sealed interface ConcurrencyLimiter permits LocalConcurrencyLimiter, RedisConcurrencyLimiter {

    /**
     * Takes a place under {@code slot}'s caps, or says which one is full.
     *
     * @throws ai.higress.redis.RedisUnavailableException when the shared store cannot be reached
     */
    Acquisition acquire(Slot slot);
}
