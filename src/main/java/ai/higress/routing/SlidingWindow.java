package ai.higress.routing;

/**
 * Counts attempts and failures over a sliding time window made of fixed buckets. Not thread-safe: callers hold the
 * owner's lock.
 */
final class SlidingWindow {
    private static final int BUCKETS = 10;

    private final long bucketNanos;
    private final long[] bucketStart = new long[BUCKETS];
    private final int[] total = new int[BUCKETS];
    private final int[] failed = new int[BUCKETS];

    SlidingWindow(long windowNanos) {
        this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
        java.util.Arrays.fill(bucketStart, Long.MIN_VALUE);
    }

    void record(long now, boolean failure) {
        int index = bucket(now);
        total[index]++;
        if (failure) {
            failed[index]++;
        }
    }

    void clear() {
        java.util.Arrays.fill(bucketStart, Long.MIN_VALUE);
    }

    int total(long now) {
        int sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (live(i, now)) {
                sum += total[i];
            }
        }
        return sum;
    }

    int failed(long now) {
        int sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (live(i, now)) {
                sum += failed[i];
            }
        }
        return sum;
    }

    /** Failure share in the window, 0 when it holds fewer than {@code minimum} attempts. */
    double errorRatio(long now, int minimum) {
        int attempts = total(now);
        return attempts < minimum ? 0 : (double) failed(now) / attempts;
    }

    private int bucket(long now) {
        long start = Math.floorDiv(now, bucketNanos) * bucketNanos;
        int index = (int) Math.floorMod(Math.floorDiv(now, bucketNanos), BUCKETS);
        if (bucketStart[index] != start) {
            bucketStart[index] = start;
            total[index] = 0;
            failed[index] = 0;
        }
        return index;
    }

    private boolean live(int index, long now) {
        return bucketStart[index] != Long.MIN_VALUE && now - bucketStart[index] < bucketNanos * BUCKETS;
    }
}
