package ai.higress.concurrency;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.higress.config.ConcurrencyConfig;
import ai.higress.config.FailurePolicy;
import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderKey;
import ai.higress.redis.RedisStore;
import ai.higress.redis.RedisUnavailableException;

/**
 * The caps as the attempt loop uses them: which limiter counts a provider, and the failure policy. A provider whose
 * cap is below {@link ProviderConfig#DEFAULT_MAX_CONCURRENCY}, or a key with a cap of its own, is counted in Redis when
 * the gateway has one; everything else in this process. When Redis cannot be reached, {@code fail-open} counts in this
 * process instead (each replica then enforces the full cap on its own) and {@code fail-closed} refuses: every capped
 * target is busy until Redis is back. Either way the outage is logged once and metered.
 */
public final class ConcurrencyCaps implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(ConcurrencyCaps.class.getName());

    private final LocalConcurrencyLimiter local = new LocalConcurrencyLimiter();
    private final Optional<RedisConcurrencyLimiter> shared;
    private final FailurePolicy policy;
    private final ConcurrencyListener listener;
    private final AtomicBoolean available = new AtomicBoolean(true);

    private ConcurrencyCaps(Optional<RedisConcurrencyLimiter> shared, FailurePolicy policy,
                            ConcurrencyListener listener) {
        this.shared = shared;
        this.policy = policy;
        this.listener = listener;
    }

    /** Caps counted in this process only. */
    public static ConcurrencyCaps local(ConcurrencyListener listener) {
        return new ConcurrencyCaps(Optional.empty(), FailurePolicy.FAIL_OPEN, listener);
    }

    /** Caps counted in {@code redis} when present (else in this process), with {@code policy} for its outages. */
    public static ConcurrencyCaps create(Optional<RedisStore> redis, ConcurrencyConfig config, FailurePolicy policy,
                                         ConcurrencyListener listener) {
        return new ConcurrencyCaps(redis.map(store -> new RedisConcurrencyLimiter(store, config)), policy, listener);
    }

    /** Takes a place for an attempt on {@code provider} with {@code key}, or says which cap is full. */
    public Acquisition acquire(ProviderConfig provider, ProviderKey key) {
        Slot slot = new Slot(provider.id(), provider.maxConcurrency(), key.id(),
                key.isNone() ? 0 : key.maxConcurrency());
        Acquisition result = sharedFor(slot).map(limiter -> acquireShared(limiter, slot)).orElseGet(() ->
                local.acquire(slot));
        if (result instanceof Acquisition.Busy busy) {
            listener.refused(provider.id(), busy.cap());
        }
        return result;
    }

    private Optional<RedisConcurrencyLimiter> sharedFor(Slot slot) {
        boolean capped = slot.providerCap() < ProviderConfig.DEFAULT_MAX_CONCURRENCY || slot.keyCapped();
        return capped ? shared : Optional.empty();
    }

    private Acquisition acquireShared(RedisConcurrencyLimiter limiter, Slot slot) {
        try {
            Acquisition result = limiter.acquire(slot);
            if (available.compareAndSet(false, true)) {
                LOGGER.log(System.Logger.Level.INFO, "Concurrency caps: Redis is back, caps are shared again");
            }
            return result;
        } catch (RedisUnavailableException e) {
            if (available.compareAndSet(true, false)) {
                LOGGER.log(System.Logger.Level.WARNING, "Concurrency caps: " + e.getMessage() + "; "
                        + (policy == FailurePolicy.FAIL_OPEN ? "each replica counts its own requests against the "
                        + "caps (failure policy fail-open)" : "capped providers are refused (failure policy "
                        + "fail-closed)") + " until it is back");
            }
            if (policy == FailurePolicy.FAIL_CLOSED) {
                return new Acquisition.Busy(Cap.UNAVAILABLE);
            }
            listener.countedLocally(slot.provider());
            return local.acquire(slot);
        }
    }

    @Override
    public void close() {
        shared.ifPresent(RedisConcurrencyLimiter::close);
    }
}
