package ai.higress.concurrency;

/** Observes the caps, for metrics. */
public interface ConcurrencyListener {
    ConcurrencyListener NONE = new ConcurrencyListener() {
    };

    /** An attempt on {@code provider} was refused by the cap {@code cap}: the target was passed over as busy. */
    default void refused(String provider, Cap cap) {
    }

    /** Redis was unreachable and the cap of {@code provider} was counted in this process instead (fail-open). */
    default void countedLocally(String provider) {
    }
}
