package ai.higress.routing;

import java.util.Arrays;

/** The most recent latency samples of a target, for percentiles such as the adaptive hedge threshold. */
final class LatencyReservoir {
    private static final int SIZE = 128;

    private final long[] samples = new long[SIZE];
    private int count;
    private int next;

    void record(long sampleNanos) {
        samples[next] = sampleNanos;
        next = (next + 1) % SIZE;
        count = Math.min(count + 1, SIZE);
    }

    /** The given percentile (0-100) of the recent samples, or -1 when there are fewer than 20. */
    long percentile(double percentile) {
        if (count < 20) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, index))];
    }
}
