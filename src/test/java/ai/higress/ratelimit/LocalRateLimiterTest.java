package ai.higress.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LocalRateLimiterTest extends RateLimiterContract {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LocalRateLimiter limiter = new LocalRateLimiter(now::get);

    @Override
    RateLimiter limiter() {
        return limiter;
    }

    @Test
    void theWindowSlides() {
        String key = newKey();
        assertTrue(limiter.acquire(key, rpm(2), 0).allowed());
        now.addAndGet(20_000);
        assertTrue(limiter.acquire(key, rpm(2), 0).allowed());
        Decision refused = limiter.acquire(key, rpm(2), 0);
        assertFalse(refused.allowed());
        assertEquals(Duration.ofSeconds(40), refused.retryAfter(), "until the first request leaves the window");
        assertEquals(Duration.ofSeconds(40), refused.requests().orElseThrow().reset());
        now.addAndGet(40_000);
        Decision again = limiter.acquire(key, rpm(2), 0);
        assertTrue(again.allowed(), "the first request left the window");
        assertEquals(0, again.requests().orElseThrow().remaining());
    }

    @Test
    void tokenRetryAfterWaitsUntilEnoughReservationsLeave() {
        String key = newKey();
        assertTrue(limiter.acquire(key, tpm(100), 30).allowed());
        now.addAndGet(10_000);
        assertTrue(limiter.acquire(key, tpm(100), 50).allowed());
        now.addAndGet(10_000);
        Decision refused = limiter.acquire(key, tpm(100), 60);
        assertFalse(refused.allowed());
        // 80 used, 60 wanted: 40 must leave, so the first two reservations (30, then 50): the second leaves at +70 s
        assertEquals(Duration.ofSeconds(50), refused.retryAfter());
        now.addAndGet(40_000);
        assertEquals(50, limiter.acquire(key, tpm(100), 0).tokens().orElseThrow().remaining(), "the 30 left, the 50 stay");
    }

    @Test
    void reconcilingAReservationThatLeftTheWindowIsIgnored() {
        String key = newKey();
        Reservation reservation = limiter.acquire(key, tpm(100), 40).reservation().orElseThrow();
        now.addAndGet(61_000);
        limiter.reconcile(reservation, 90);
        assertEquals(100, limiter.acquire(key, tpm(100), 0).tokens().orElseThrow().remaining());
    }
}
