package ai.higress.routing;

/** Monotonic nanosecond time, injectable so health and budget timelines can be tested without sleeping. */
@FunctionalInterface
public interface Ticker {
    Ticker SYSTEM = System::nanoTime;

    long nanos();
}
