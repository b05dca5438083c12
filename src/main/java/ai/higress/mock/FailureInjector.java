package ai.higress.mock;

import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;

/** Decides, from a seeded random sequence, which requests fail on purpose, so benchmark runs can be repeated. */
final class FailureInjector {

    private final double failureRate;
    private final SplittableRandom random;
    // SplittableRandom is not thread-safe; a lock keeps one reproducible sequence across concurrent requests.
    private final ReentrantLock lock = new ReentrantLock();

    FailureInjector(double failureRate, long seed) {
        this.failureRate = failureRate;
        this.random = new SplittableRandom(seed);
    }

    boolean nextRequestFails() {
        if (failureRate == 0) {
            return false;
        }
        lock.lock();
        try {
            return random.nextDouble() < failureRate;
        } finally {
            lock.unlock();
        }
    }
}
