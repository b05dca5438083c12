package ai.higress.concurrency;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps counted in this process: one counter per provider and per capped key. A cap changed by a configuration reload
 * applies to the next acquisition; places already held are released against the same counter.
 */
final class LocalConcurrencyLimiter implements ConcurrencyLimiter {
    private final Map<String, AtomicInteger> providers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> keys = new ConcurrentHashMap<>();

    @Override
    public Acquisition acquire(Slot slot) {
        AtomicInteger provider = providers.computeIfAbsent(slot.provider(), id -> new AtomicInteger());
        if (!take(provider, slot.providerCap())) {
            return new Acquisition.Busy(Cap.PROVIDER);
        }
        if (!slot.keyCapped()) {
            return new Acquisition.Granted(new Lease(provider::decrementAndGet));
        }
        AtomicInteger key = keys.computeIfAbsent(slot.key(), id -> new AtomicInteger());
        if (!take(key, slot.keyCap())) {
            provider.decrementAndGet();
            return new Acquisition.Busy(Cap.KEY);
        }
        return new Acquisition.Granted(new Lease(() -> {
            key.decrementAndGet();
            provider.decrementAndGet();
        }));
    }

    /** Places held now under a provider's cap (for tests and the admin view). */
    int inFlight(String provider) {
        AtomicInteger count = providers.get(provider);
        return count == null ? 0 : count.get();
    }

    private static boolean take(AtomicInteger count, int cap) {
        while (true) {
            int current = count.get();
            if (current >= cap) {
                return false;
            }
            if (count.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }
}
