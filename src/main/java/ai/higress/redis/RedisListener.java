package ai.higress.redis;

/** Observes calls to Redis: latency of each call, and failures (for metrics). */
public interface RedisListener {
    RedisListener NONE = new RedisListener() {
    };

    /** A call to Redis finished (successfully or not) after {@code nanos}. */
    default void call(String operation, long nanos) {
    }

    /** A call to Redis failed: unreachable, timed out or refused. */
    default void error(String operation) {
    }
}
