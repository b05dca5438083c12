package ai.higress.config;

/** How a logical model orders the healthy targets of one priority tier. */
public enum Strategy {
    /** Random by effective weight (configured weight scaled by health and relative latency). */
    WEIGHTED,
    /** Power of two choices on peak-EWMA latency times in-flight requests (time to first token for streams). */
    LATENCY,
    /** Fewest requests in flight first. */
    LEAST_BUSY,
    /** Strictly the configured order. */
    PRIORITY
}
