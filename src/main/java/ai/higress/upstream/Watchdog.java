package ai.higress.upstream;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Enforces deadlines on blocking upstream reads. A blocked socket read cannot be given a new timeout mid-stream, so
 * each armed {@link Guard} has one timer task; when it fires after the guard's (possibly extended) deadline, the guarded
 * response is closed, which makes the blocked reader fail at once. Extending a deadline costs a volatile write, not a
 * new timer, which keeps per-event overhead flat.
 */
public final class Watchdog implements AutoCloseable {
    private final ScheduledThreadPoolExecutor timer = newTimer();

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "higress-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        // a disarmed guard's timer is removed at once, so the queue holds only live deadlines, not one per
        // request of the last timeout period
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Starts guarding {@code resource}: it is closed if {@code deadlineNanos} (a {@link System#nanoTime()}) passes. */
    public Guard arm(AutoCloseable resource, long deadlineNanos, Phase phase) {
        Guard guard = new Guard(resource, deadlineNanos, phase);
        guard.schedule(deadlineNanos - System.nanoTime());
        return guard;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** Which deadline a guard is enforcing; named in the timeout error. */
    public enum Phase {
        FIRST_TOKEN("no first token within the time-to-first-token timeout"),
        IDLE("no event within the idle timeout"),
        TOTAL("the request deadline passed");

        private final String description;

        Phase(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** One armed deadline. Used by the request's thread and the timer thread. */
    public final class Guard implements AutoCloseable {
        private final AutoCloseable resource;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile long deadlineNanos;
        private volatile Phase phase;
        private volatile boolean expired;
        private boolean disarmed;
        private ScheduledFuture<?> scheduled;

        private Guard(AutoCloseable resource, long deadlineNanos, Phase phase) {
            this.resource = resource;
            this.deadlineNanos = deadlineNanos;
            this.phase = phase;
        }

        /** Moves the deadline; no timer work is done until the current timer fires. */
        public void reset(long newDeadlineNanos, Phase newPhase) {
            this.phase = newPhase;
            this.deadlineNanos = newDeadlineNanos;
        }

        public boolean expired() {
            return expired;
        }

        /** The deadline that expired (meaningful when {@link #expired()}). */
        public Phase phase() {
            return phase;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                disarmed = true;
                if (scheduled != null) {
                    scheduled.cancel(false);
                    scheduled = null;
                }
            } finally {
                lock.unlock();
            }
        }

        /** Called with the lock held, or before the guard is shared. */
        private void schedule(long delayNanos) {
            try {
                scheduled = timer.schedule(this::check, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the gateway is shutting down; the request's own socket timeout still bounds the read
            }
        }

        private void check() {
            long remaining = deadlineNanos - System.nanoTime();
            lock.lock();
            try {
                if (disarmed) {
                    return;
                }
                if (remaining > 0) {
                    schedule(remaining);
                    return;
                }
                expired = true;
            } finally {
                lock.unlock();
            }
            try {
                resource.close();
            } catch (Exception e) {
                // closing a broken connection may fail; the reader fails either way
            }
        }
    }
}
