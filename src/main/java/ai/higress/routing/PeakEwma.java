package ai.higress.routing;

/**
 * Peak exponentially weighted moving average of latency: a slower sample is adopted at once, faster samples pull the
 * estimate down with time constant {@code decayNanos}. Reacting to slowness at once and to recovery gradually is what
 * makes latency-aware selection move away from a degrading target quickly. Not thread-safe: callers hold a lock.
 */
final class PeakEwma {
    private final double decayNanos;
    private double estimate;
    private long lastUpdate;
    private boolean seeded;

    PeakEwma(long decayNanos) {
        this.decayNanos = decayNanos;
    }

    void record(long now, long sampleNanos) {
        if (!seeded) {
            estimate = sampleNanos;
            seeded = true;
        } else if (sampleNanos > estimate) {
            estimate = sampleNanos;
        } else {
            double weight = Math.exp(-Math.max(0, now - lastUpdate) / decayNanos);
            estimate = estimate * weight + sampleNanos * (1 - weight);
        }
        lastUpdate = now;
    }

    boolean seeded() {
        return seeded;
    }

    /** The estimate in nanoseconds; 0 before the first sample. */
    double nanos() {
        return estimate;
    }
}
