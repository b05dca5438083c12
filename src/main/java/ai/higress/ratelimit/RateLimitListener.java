package ai.higress.ratelimit;

/** Observes admission checks, for metrics. */
public interface RateLimitListener {
    RateLimitListener NONE = new RateLimitListener() {
    };

    /**
     * One check ended: {@code allowed}, {@code refused}, {@code unavailable_allowed} (fail open) or
     * {@code unavailable_refused} (fail closed).
     */
    default void checked(String result) {
    }

    /** A request was refused by {@code limit}. */
    default void refused(LimitKind limit) {
    }
}
