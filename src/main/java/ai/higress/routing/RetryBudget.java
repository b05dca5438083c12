package ai.higress.routing;

import java.util.concurrent.locks.ReentrantLock;

import ai.higress.config.RetryConfig;

/**
 * Caps retries (attempts after a request's first) at {@code min-per-second * window + ratio * requests} over a sliding
 * window, so that when an upstream fails, the gateway does not multiply the load it sends to the others. Thread-safe.
 */
public final class RetryBudget {
    private final RetryConfig config;
    private final Ticker ticker;
    private final ReentrantLock lock = new ReentrantLock();
    private final SlidingWindow requests;
    private final SlidingWindow retries;

    public RetryBudget(RetryConfig config, Ticker ticker) {
        this.config = config;
        this.ticker = ticker;
        this.requests = new SlidingWindow(config.window().toNanos());
        this.retries = new SlidingWindow(config.window().toNanos());
    }

    public void onRequest() {
        long now = ticker.nanos();
        lock.lock();
        try {
            requests.record(now, false);
        } finally {
            lock.unlock();
        }
    }

    /** Takes one retry from the budget; false when the budget is spent. */
    public boolean tryRetry() {
        long now = ticker.nanos();
        lock.lock();
        try {
            double floor = config.minPerSecond() * (config.window().toNanos() / 1e9);
            double allowed = floor + config.ratio() * requests.total(now);
            if (retries.total(now) + 1 > allowed) {
                return false;
            }
            retries.record(now, false);
            return true;
        } finally {
            lock.unlock();
        }
    }
}
