package ai.higress.routing;

import java.util.concurrent.locks.ReentrantLock;

import ai.higress.concurrency.Lease;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.Target;

/**
 * One attempt in progress: its target (with the chosen key), number and timing, its place under the concurrency caps,
 * and the hook that lets a hedged race cancel it. An attempt registers its upstream response as soon as it has one; cancelling closes that response (which
 * fails any blocked read at once) or, before there is one, interrupts the attempt's thread.
 */
public final class AttemptContext {
    private final String requestId;
    private final Target target;
    private final int number;
    private final boolean hedge;
    private final long startNanos;
    private final Lease lease;
    private final ReentrantLock lock = new ReentrantLock();
    private Thread thread;
    private AutoCloseable inFlight;
    private boolean cancelled;
    private volatile int status;

    AttemptContext(String requestId, Target target, int number, boolean hedge, long startNanos, Lease lease) {
        this.requestId = requestId;
        this.target = target;
        this.number = number;
        this.hedge = hedge;
        this.startNanos = startNanos;
        this.lease = lease;
    }

    /** Gives back the attempt's place under the concurrency caps; every end of an attempt calls it (idempotent). */
    void releaseLease() {
        lease.close();
    }

    public String requestId() {
        return requestId;
    }

    public Target target() {
        return target;
    }

    public int number() {
        return number;
    }

    public boolean hedge() {
        return hedge;
    }

    public long startNanos() {
        return startNanos;
    }

    public int status() {
        return status;
    }

    /**
     * Registers the upstream response so a cancellation can close it.
     *
     * @throws UpstreamException when the attempt was already cancelled (the response is closed)
     */
    public void responded(int upstreamStatus, AutoCloseable response) {
        status = upstreamStatus;
        lock.lock();
        try {
            if (!cancelled) {
                inFlight = response;
                return;
            }
        } finally {
            lock.unlock();
        }
        closeQuietly(response);
        throw cancelledFailure();
    }

    public boolean cancelled() {
        lock.lock();
        try {
            return cancelled;
        } finally {
            lock.unlock();
        }
    }

    void runningOn(Thread owner) {
        lock.lock();
        try {
            thread = owner;
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} unless cancelled, atomically with respect to {@link #cancel()}; returns whether it ran. */
    boolean unlessCancelled(Runnable action) {
        lock.lock();
        try {
            if (cancelled) {
                return false;
            }
            action.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    void cancel() {
        AutoCloseable response;
        Thread owner;
        lock.lock();
        try {
            if (cancelled) {
                return;
            }
            cancelled = true;
            response = inFlight;
            owner = thread;
        } finally {
            lock.unlock();
        }
        if (response != null) {
            closeQuietly(response);
        } else if (owner != null) {
            owner.interrupt();
        }
    }

    static UpstreamException cancelledFailure() {
        return UpstreamException.transport(ErrorKind.NETWORK, "the attempt was cancelled: another attempt won");
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            // a cancelled attempt's connection may already be broken
        }
    }
}
