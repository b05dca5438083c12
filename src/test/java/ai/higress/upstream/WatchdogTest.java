package ai.higress.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deadlines are tens of milliseconds; assertions are orderings against {@link System#nanoTime()} and generous upper
 * bounds, so a loaded machine makes them slower, never wrong.
 */
class WatchdogTest {
    private static final long GENEROUS_SECONDS = 2;

    private final Watchdog watchdog = new Watchdog();

    @AfterEach
    void stop() {
        watchdog.close();
    }

    @Test
    void closesTheResourceAfterTheDeadlineAndReportsThePhase() throws InterruptedException {
        Resource resource = new Resource();
        long deadline = System.nanoTime() + ms(30);
        Watchdog.Guard guard = watchdog.arm(resource, deadline, Watchdog.Phase.FIRST_TOKEN);
        assertFalse(guard.expired());

        assertTrue(resource.awaitClose(), "closed within " + GENEROUS_SECONDS + " s");

        assertTrue(resource.closedAt() - deadline >= 0, "not closed before the deadline");
        assertTrue(guard.expired());
        assertEquals(Watchdog.Phase.FIRST_TOKEN, guard.phase());
        assertEquals(1, resource.closes.get());
    }

    @Test
    void aDeadlineInThePastClosesAtOnce() throws InterruptedException {
        Resource resource = new Resource();
        Watchdog.Guard guard = watchdog.arm(resource, System.nanoTime() - ms(5), Watchdog.Phase.TOTAL);
        assertTrue(resource.awaitClose());
        assertTrue(guard.expired());
        assertEquals(Watchdog.Phase.TOTAL, guard.phase());
    }

    @Test
    void resetPushesTheDeadlineOut() throws InterruptedException {
        Resource resource = new Resource();
        long original = System.nanoTime() + ms(100);
        Watchdog.Guard guard = watchdog.arm(resource, original, Watchdog.Phase.FIRST_TOKEN);
        long extended = System.nanoTime() + ms(300);
        guard.reset(extended, Watchdog.Phase.IDLE);
        assumeBefore(original, "the reset");

        assertTrue(resource.awaitClose(), "closed within " + GENEROUS_SECONDS + " s");

        assertTrue(resource.closedAt() - extended >= 0,
                "closed " + (extended - resource.closedAt()) / 1_000_000 + " ms before the new deadline");
        assertTrue(guard.expired());
        assertEquals(Watchdog.Phase.IDLE, guard.phase());
        assertEquals(1, resource.closes.get());
    }

    @Test
    void repeatedResetsKeepTheResourceOpenUntilTheLastDeadline() throws InterruptedException {
        Resource resource = new Resource();
        long deadline = System.nanoTime() + ms(150);
        Watchdog.Guard guard = watchdog.arm(resource, deadline, Watchdog.Phase.FIRST_TOKEN);
        for (int i = 0; i < 5; i++) {
            Thread.sleep(10);
            long next = System.nanoTime() + ms(150);
            guard.reset(next, Watchdog.Phase.IDLE);
            assumeBefore(deadline, "reset " + i);
            deadline = next;
        }
        assertTrue(resource.awaitClose());
        assertTrue(resource.closedAt() - deadline >= 0, "not closed before the last deadline");
        assertEquals(1, resource.closes.get());
    }

    @Test
    void closeDisarms() throws InterruptedException {
        Resource disarmed = new Resource();
        long deadline = System.nanoTime() + ms(100);
        Watchdog.Guard guard = watchdog.arm(disarmed, deadline, Watchdog.Phase.IDLE);
        guard.close();
        assumeBefore(deadline, "close()");

        // The timer is one thread running tasks in deadline order, so once a later guard has fired, the disarmed
        // guard's own timer task has run too.
        Resource sentinel = new Resource();
        watchdog.arm(sentinel, System.nanoTime() + ms(150), Watchdog.Phase.TOTAL);
        assertTrue(sentinel.awaitClose());

        assertEquals(0, disarmed.closes.get(), "never closed after close()");
        assertFalse(guard.expired());
    }

    @Test
    void closeAfterExpiryChangesNothing() throws InterruptedException {
        Resource resource = new Resource();
        Watchdog.Guard guard = watchdog.arm(resource, System.nanoTime() + ms(10), Watchdog.Phase.TOTAL);
        assertTrue(resource.awaitClose());
        guard.close();
        assertTrue(guard.expired());
        assertEquals(1, resource.closes.get());
    }

    @Test
    void aResourceThatFailsToCloseStillExpires() throws InterruptedException {
        CountDownLatch attempted = new CountDownLatch(1);
        Watchdog.Guard guard = watchdog.arm(() -> {
            attempted.countDown();
            throw new IllegalStateException("already broken");
        }, System.nanoTime() + ms(10), Watchdog.Phase.IDLE);
        assertTrue(attempted.await(GENEROUS_SECONDS, TimeUnit.SECONDS));
        assertTrue(guard.expired());

        // the timer thread survived the exception and still serves other guards
        Resource next = new Resource();
        watchdog.arm(next, System.nanoTime() + ms(10), Watchdog.Phase.IDLE);
        assertTrue(next.awaitClose());
    }

    @Test
    void armingAfterShutdownDoesNotThrow() {
        watchdog.close();
        Resource resource = new Resource();
        Watchdog.Guard guard = watchdog.arm(resource, System.nanoTime() + ms(1), Watchdog.Phase.TOTAL);
        guard.reset(System.nanoTime() + ms(2), Watchdog.Phase.IDLE);
        guard.close();
        assertFalse(guard.expired());
    }

    /**
     * These tests need the test thread to act before a deadline tens of milliseconds away. A machine so loaded that
     * the thread stalled past it cannot show anything about the watchdog: the test is aborted, not failed.
     */
    private static void assumeBefore(long deadline, String step) {
        assumeTrue(System.nanoTime() - deadline < -ms(5), step + " came too late to test anything");
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    /** Counts closes and remembers when the first happened. */
    private static final class Resource implements AutoCloseable {
        private final AtomicInteger closes = new AtomicInteger();
        private final AtomicLong closedAt = new AtomicLong();
        private final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void close() {
            if (closes.incrementAndGet() == 1) {
                closedAt.set(System.nanoTime());
            }
            closed.countDown();
        }

        boolean awaitClose() throws InterruptedException {
            return closed.await(GENEROUS_SECONDS, TimeUnit.SECONDS);
        }

        long closedAt() {
            return closedAt.get();
        }
    }
}
