package ai.higress.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The semantics every {@link RateLimiter} shares, run against the Redis and the in-process implementation. */
abstract class RateLimiterContract {

    abstract RateLimiter limiter();

    static String newKey() {
        return "test:" + UUID.randomUUID();
    }

    static Quota rpm(int limit) {
        return new Quota(OptionalInt.of(limit), OptionalInt.empty());
    }

    static Quota tpm(int limit) {
        return new Quota(OptionalInt.empty(), OptionalInt.of(limit));
    }

    @Test
    void underContentionExactlyTheLimitIsAdmitted() throws InterruptedException {
        RateLimiter limiter = limiter();
        String key = newKey();
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 200; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < 5; i++) {
                        if (limiter.acquire(key, rpm(100), 0).allowed()) {
                            admitted.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(List.of(), failures);
        assertEquals(100, admitted.get(), "exactly the limit is admitted");
        assertEquals(900, refused.get());
    }

    @Test
    void requestsWindowReportsRemainingAndRefusesWithRetryAfter() {
        RateLimiter limiter = limiter();
        String key = newKey();
        Decision first = limiter.acquire(key, rpm(3), 0);
        assertTrue(first.allowed());
        assertEquals(3, first.requests().orElseThrow().limit());
        assertEquals(2, first.requests().orElseThrow().remaining());
        assertTrue(first.tokens().isEmpty(), "no tpm limit, no tokens window");
        assertTrue(first.reservation().isEmpty());
        assertEquals(1, limiter.acquire(key, rpm(3), 0).requests().orElseThrow().remaining());
        assertEquals(0, limiter.acquire(key, rpm(3), 0).requests().orElseThrow().remaining());
        Decision refused = limiter.acquire(key, rpm(3), 0);
        assertFalse(refused.allowed());
        assertEquals(LimitKind.REQUESTS, refused.refusedBy().orElseThrow());
        assertEquals(0, refused.requests().orElseThrow().remaining());
        assertTrue(refused.retryAfter().compareTo(Duration.ZERO) > 0
                && refused.retryAfter().compareTo(Duration.ofSeconds(60)) <= 0, refused.retryAfter().toString());
        assertTrue(limiter.acquire(newKey(), rpm(3), 0).allowed(), "keys are independent");
    }

    @Test
    void tokensAreReservedThenReconciledExactly() {
        RateLimiter limiter = limiter();
        String key = newKey();
        Decision first = limiter.acquire(key, tpm(1000), 400);
        assertTrue(first.allowed());
        assertEquals(600, first.tokens().orElseThrow().remaining());
        Reservation reservation = first.reservation().orElseThrow();
        assertEquals(400, reservation.tokens());

        Decision second = limiter.acquire(key, tpm(1000), 500);
        assertEquals(100, second.tokens().orElseThrow().remaining());
        Decision refused = limiter.acquire(key, tpm(1000), 200);
        assertFalse(refused.allowed(), "400 + 500 + 200 > 1000");
        assertEquals(LimitKind.TOKENS, refused.refusedBy().orElseThrow());
        assertTrue(refused.reservation().isEmpty());

        limiter.reconcile(reservation, 150);            // used 150 of the 400 reserved: 250 released
        Decision third = limiter.acquire(key, tpm(1000), 200);
        assertTrue(third.allowed(), "150 + 500 + 200 <= 1000");
        assertEquals(150, third.tokens().orElseThrow().remaining());

        limiter.reconcile(second.reservation().orElseThrow(), 600);   // used more than reserved: 100 more counted
        assertEquals(50, limiter.acquire(key, tpm(1000), 0).tokens().orElseThrow().remaining());
        limiter.reconcile(third.reservation().orElseThrow(), 0);      // failed: all 200 released
        assertEquals(250, limiter.acquire(key, tpm(1000), 0).tokens().orElseThrow().remaining());
    }

    @Test
    void aRequestLargerThanTheWholeLimitIsRefusedForAFullWindow() {
        Decision refused = limiter().acquire(newKey(), tpm(100), 101);
        assertFalse(refused.allowed());
        assertEquals(LimitKind.TOKENS, refused.refusedBy().orElseThrow());
        assertEquals(Duration.ofSeconds(60), refused.retryAfter());
        assertEquals(100, refused.tokens().orElseThrow().remaining(), "nothing was counted");
    }

    @Test
    void aRefusalByTokensDoesNotCountTheRequest() {
        RateLimiter limiter = limiter();
        String key = newKey();
        Quota both = new Quota(OptionalInt.of(2), OptionalInt.of(100));
        assertTrue(limiter.acquire(key, both, 90).allowed());
        assertFalse(limiter.acquire(key, both, 20).allowed());
        Decision last = limiter.acquire(key, both, 10);
        assertTrue(last.allowed(), "the refused request used no request slot");
        assertEquals(0, last.requests().orElseThrow().remaining());
        assertEquals(0, last.tokens().orElseThrow().remaining());
    }
}
