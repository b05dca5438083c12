package ai.higress.concurrency;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import ai.higress.config.ConcurrencyConfig;
import ai.higress.redis.RedisScript;
import ai.higress.redis.RedisStore;
import ai.higress.redis.RedisUnavailableException;

/**
 * Caps held in Redis, shared by every replica: {@code higress:conc:{<provider>}} and, for a key with a cap of its own,
 * {@code higress:conc:{<provider>}:key:<key id>}, sorted sets of lease ids scored by when each lapses. The provider
 * id is the hash tag, so one script takes both places atomically on a Cluster too. This replica renews the leases it
 * holds every third of the TTL, one script per provider; a lease whose release failed lapses on its own.
 */
final class RedisConcurrencyLimiter implements ConcurrencyLimiter, AutoCloseable {
    static final String PREFIX = "higress:conc:";
    private static final System.Logger LOGGER = System.getLogger(RedisConcurrencyLimiter.class.getName());
    private static final RedisScript ACQUIRE = RedisScript.resource(RedisConcurrencyLimiter.class, "acquire.lua");
    private static final RedisScript RELEASE = RedisScript.resource(RedisConcurrencyLimiter.class, "release.lua");
    private static final RedisScript RENEW = RedisScript.resource(RedisConcurrencyLimiter.class, "renew.lua");

    private final RedisStore store;
    private final ConcurrencyConfig config;
    private final Map<String, Slot> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer;

    RedisConcurrencyLimiter(RedisStore store, ConcurrencyConfig config) {
        this.store = store;
        this.config = config;
        this.renewer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("higress-lease-renewer").factory());
        long every = config.renewInterval().toMillis();
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public Acquisition acquire(Slot slot) {
        String id = newId();
        long reply = ((Number) store.eval(ACQUIRE, keys(slot), List.of(id,
                Long.toString(config.leaseTtl().toMillis()), Integer.toString(slot.providerCap()),
                Integer.toString(slot.keyCap())))).longValue();
        if (reply == 1) {
            return new Acquisition.Busy(Cap.PROVIDER);
        }
        if (reply == 2) {
            return new Acquisition.Busy(Cap.KEY);
        }
        held.put(id, slot);
        return new Acquisition.Granted(new Lease(() -> release(id, slot)));
    }

    private void release(String id, Slot slot) {
        held.remove(id);
        try {
            store.eval(RELEASE, keys(slot), List.of(id));
        } catch (RedisUnavailableException e) {
            LOGGER.log(System.Logger.Level.DEBUG, "a lease on ''{0}'' lapses on its own: {1}", slot.provider(),
                    e.getMessage());
        }
    }

    /** Extends every lease this replica holds, provider by provider. */
    void renew() {
        Map<String, List<Map.Entry<String, Slot>>> byProvider = new LinkedHashMap<>();
        held.entrySet().forEach(entry -> byProvider.computeIfAbsent(entry.getValue().provider(),
                provider -> new ArrayList<>()).add(entry));
        byProvider.forEach((provider, leases) -> {
            Set<String> keys = new LinkedHashSet<>();
            List<String> args = new ArrayList<>();
            args.add(Long.toString(config.leaseTtl().toMillis()));
            for (Map.Entry<String, Slot> lease : leases) {
                keys.addAll(keys(lease.getValue()));
                args.add(lease.getKey());
            }
            try {
                store.eval(RENEW, List.copyOf(keys), args);
            } catch (RuntimeException e) {
                LOGGER.log(System.Logger.Level.DEBUG, "leases on ''{0}'' not renewed: {1}", provider, e.getMessage());
            }
        });
    }

    /** Leases this replica holds now. */
    int held() {
        return held.size();
    }

    static List<String> keys(Slot slot) {
        String base = PREFIX + "{" + slot.provider() + "}";
        return slot.keyCapped() ? List.of(base, base + ":key:" + slot.key()) : List.of(base);
    }

    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    }

    @Override
    public void close() {
        renewer.shutdownNow();
    }
}
