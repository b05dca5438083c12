package ai.higress.routing;

/** Routing decisions worth counting; implemented by the metrics. */
public interface RoutingListener {
    RoutingListener NONE = new RoutingListener() {
    };

    /** A retryable failure moved the request on to another attempt. */
    default void failover(String model) {
    }

    /** A hedged attempt was started. */
    default void hedge(String model) {
    }

    /** A retry was refused because the retry budget is spent. */
    default void retryDenied(String model) {
    }

    /** A target's health was first seen; {@code breaker} stays valid for the gateway's life. */
    default void targetTracked(String label, CircuitBreaker breaker, Ticker ticker) {
    }
}
