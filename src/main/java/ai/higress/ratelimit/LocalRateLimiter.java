package ai.higress.ratelimit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The limiter of a single node: the same sliding windows and arithmetic as the Lua scripts, held in this process.
 * A key's state is guarded by its own lock; a key idle for a whole window holds nothing but empty queues.
 */
public final class LocalRateLimiter implements RateLimiter {
    private final LongSupplier clockMillis;
    private final Map<String, KeyState> states = new ConcurrentHashMap<>();

    /** @param clockMillis the current time in milliseconds ({@code System::currentTimeMillis} outside tests) */
    public LocalRateLimiter(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    @Override
    public Decision acquire(String key, Quota quota, long tokens) {
        KeyState state = states.computeIfAbsent(key, k -> new KeyState());
        state.lock.lock();
        try {
            return state.acquire(key, quota, tokens, clockMillis.getAsLong());
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public void reconcile(Reservation reservation, long actualTokens) {
        KeyState state = states.get(reservation.key());
        if (state == null) {
            return;
        }
        state.lock.lock();
        try {
            state.reconcile(reservation, Math.max(0, actualTokens), clockMillis.getAsLong());
        } finally {
            state.lock.unlock();
        }
    }

    private static final class KeyState {
        private final ReentrantLock lock = new ReentrantLock();
        private final ArrayDeque<Long> requests = new ArrayDeque<>();
        private final ArrayDeque<TokenEntry> reservations = new ArrayDeque<>();
        private final Map<String, TokenEntry> byId = new HashMap<>();
        private long used;

        Decision acquire(String key, Quota quota, long tokens, long now) {
            expire(now - WINDOW_MILLIS);
            int rpm = quota.requestsPerMinute().orElse(-1);
            int tpm = quota.tokensPerMinute().orElse(-1);
            long requestsReset = requests.isEmpty() ? 0 : Math.max(1, requests.peekFirst() + WINDOW_MILLIS - now);
            long tokensReset = reservations.isEmpty() ? 0
                    : Math.max(1, reservations.peekFirst().at + WINDOW_MILLIS - now);
            long requestsLeft = Math.max(0, rpm - requests.size());
            long tokensLeft = Math.max(0, tpm - used);
            if (rpm >= 0 && requests.size() >= rpm) {
                return refused(LimitKind.REQUESTS, rpm, 0, requestsReset, tpm, tokensLeft, tokensReset, requestsReset);
            }
            if (tpm >= 0 && used + tokens > tpm) {
                return refused(LimitKind.TOKENS, rpm, requestsLeft, requestsReset, tpm, tokensLeft, tokensReset,
                        tokenRetry(tokens, tpm, now));
            }
            String id = RedisRateLimiter.newId();
            if (rpm >= 0) {
                requests.addLast(now);
                requestsLeft = rpm - requests.size();
                requestsReset = requestsReset == 0 ? WINDOW_MILLIS : requestsReset;
            }
            Optional<Reservation> reservation = Optional.empty();
            if (tpm >= 0) {
                TokenEntry entry = new TokenEntry(id, now, tokens);
                reservations.addLast(entry);
                byId.put(id, entry);
                used += tokens;
                tokensLeft = Math.max(0, tpm - used);
                tokensReset = tokensReset == 0 ? WINDOW_MILLIS : tokensReset;
                reservation = Optional.of(new Reservation(key, id, tokens));
            }
            return new Decision(true, Optional.empty(), window(rpm, requestsLeft, requestsReset),
                    window(tpm, tokensLeft, tokensReset), reservation, Duration.ZERO);
        }

        void reconcile(Reservation reservation, long actual, long now) {
            expire(now - WINDOW_MILLIS);
            TokenEntry entry = byId.get(reservation.id());
            if (entry != null) {
                used += actual - entry.tokens;
                entry.tokens = actual;
            }
        }

        private long tokenRetry(long tokens, int tpm, long now) {
            if (tokens > tpm) {
                return WINDOW_MILLIS;
            }
            long need = used + tokens - tpm;
            long freed = 0;
            for (TokenEntry entry : reservations) {
                freed += entry.tokens;
                if (freed >= need) {
                    return Math.max(1, entry.at + WINDOW_MILLIS - now);
                }
            }
            return WINDOW_MILLIS;
        }

        private void expire(long cutoff) {
            while (!requests.isEmpty() && requests.peekFirst() <= cutoff) {
                requests.removeFirst();
            }
            Iterator<TokenEntry> it = reservations.iterator();
            while (it.hasNext()) {
                TokenEntry entry = it.next();
                if (entry.at > cutoff) {
                    break;
                }
                it.remove();
                byId.remove(entry.id);
                used -= entry.tokens;
            }
            if (reservations.isEmpty()) {
                used = 0;
            }
        }

        private static Decision refused(LimitKind by, int rpm, long requestsLeft, long requestsReset, int tpm,
                                        long tokensLeft, long tokensReset, long retry) {
            return new Decision(false, Optional.of(by), window(rpm, requestsLeft, requestsReset),
                    window(tpm, tokensLeft, tokensReset), Optional.empty(), Duration.ofMillis(retry));
        }

        private static Optional<WindowState> window(int limit, long remaining, long resetMillis) {
            return limit < 0 ? Optional.empty()
                    : Optional.of(new WindowState(limit, remaining, Duration.ofMillis(resetMillis)));
        }
    }

    private static final class TokenEntry {
        private final String id;
        private final long at;
        private long tokens;

        TokenEntry(String id, long at, long tokens) {
            this.id = id;
            this.at = at;
            this.tokens = tokens;
        }
    }
}
