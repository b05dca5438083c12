package ai.higress.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import ai.higress.config.HealthConfig;
import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderKey;
import ai.higress.error.ErrorKind;
import ai.higress.provider.Target;

/**
 * The health of every target ({@code provider/model}) and every provider key, fed by every attempt. Rate limits and
 * credential failures are charged to the key that was used (so a provider's other keys keep serving); every other
 * provider fault to the target.
 */
public final class HealthTracker {
    private final HealthConfig config;
    private final Ticker ticker;
    private final Supplier<RandomGenerator> random;
    private final Map<String, CircuitBreaker> targets = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreaker> keys = new ConcurrentHashMap<>();

    private final RoutingListener listener;
    private volatile HealthSharing sharing = HealthSharing.NONE;

    public HealthTracker(HealthConfig config, Ticker ticker, Supplier<RandomGenerator> random,
                         RoutingListener listener) {
        this.config = config;
        this.ticker = ticker;
        this.random = random;
        this.listener = listener;
    }

    public Ticker ticker() {
        return ticker;
    }

    /**
     * Publishes this tracker's own circuit transitions through {@code sharing} from now on (breakers created before
     * included). Transitions applied with {@link #applyRemoteOpen}/{@link #applyRemoteClose} are never published.
     */
    public void share(HealthSharing sharing) {
        this.sharing = sharing;
        targets.forEach((label, breaker) -> breaker.observe(observer(HealthSharing.Scope.TARGET, label)));
        keys.forEach((id, breaker) -> breaker.observe(observer(HealthSharing.Scope.KEY, id)));
    }

    public CircuitBreaker target(Target target) {
        return target(target.label());
    }

    /** The breaker of a target by its label ({@code provider/model}). */
    public CircuitBreaker target(String label) {
        CircuitBreaker existing = targets.get(label);
        if (existing != null) {
            return existing;
        }
        return targets.computeIfAbsent(label, created -> {
            CircuitBreaker breaker = new CircuitBreaker(config, random.get());
            breaker.observe(observer(HealthSharing.Scope.TARGET, created));
            listener.targetTracked(created, breaker, ticker);
            return breaker;
        });
    }

    public CircuitBreaker key(ProviderKey key) {
        return key(key.id());
    }

    /** The breaker of a provider key by its id ({@code provider#index}). */
    public CircuitBreaker key(String keyId) {
        return keys.computeIfAbsent(keyId, id -> {
            CircuitBreaker breaker = new CircuitBreaker(config, random.get());
            breaker.observe(observer(HealthSharing.Scope.KEY, id));
            return breaker;
        });
    }

    /** Labels of every target tracked so far. */
    public java.util.Set<String> targetLabels() {
        return java.util.Set.copyOf(targets.keySet());
    }

    /** Ids of every provider key tracked so far. */
    public java.util.Set<String> keyIds() {
        return java.util.Set.copyOf(keys.keySet());
    }

    /** Applies an open published by another replica; see {@link CircuitBreaker#applyRemoteOpen}. */
    public boolean applyRemoteOpen(HealthSharing.Scope scope, String id, java.time.Duration cooldown, String reason) {
        CircuitBreaker breaker = scope == HealthSharing.Scope.TARGET ? target(id) : key(id);
        return breaker.applyRemoteOpen(ticker.nanos(), cooldown.toNanos(), reason);
    }

    /** Applies a close published by another replica; see {@link CircuitBreaker#applyRemoteClose}. */
    public boolean applyRemoteClose(HealthSharing.Scope scope, String id) {
        Map<String, CircuitBreaker> breakers = scope == HealthSharing.Scope.TARGET ? targets : keys;
        CircuitBreaker breaker = breakers.get(id);
        return breaker != null && breaker.applyRemoteClose(ticker.nanos());
    }

    /** Applies a close another replica published and this one missed; see {@link CircuitBreaker#applyMissedRemoteClose}. */
    public boolean applyMissedRemoteClose(HealthSharing.Scope scope, String id) {
        Map<String, CircuitBreaker> breakers = scope == HealthSharing.Scope.TARGET ? targets : keys;
        CircuitBreaker breaker = breakers.get(id);
        return breaker != null && breaker.applyMissedRemoteClose(ticker.nanos());
    }

    private CircuitBreaker.Observer observer(HealthSharing.Scope scope, String id) {
        return new CircuitBreaker.Observer() {
            @Override
            public void opened(long cooldownNanos, String reason) {
                sharing.opened(scope, id, java.time.Duration.ofNanos(cooldownNanos), reason);
            }

            @Override
            public void closed() {
                sharing.closed(scope, id);
            }
        };
    }

    /** Whether some key of {@code provider} could serve now (always true for keyless providers). */
    public boolean hasUsableKey(ProviderConfig provider, long now) {
        if (provider.keys().isEmpty()) {
            return true;
        }
        for (ProviderKey key : provider.keys()) {
            if (key(key).state(now) != CircuitState.OPEN) {
                return true;
            }
        }
        return false;
    }

    /**
     * Picks a key of {@code provider} among those that may serve now, at random by weight; claims a half-open key's
     * probe slot. Empty when every key is cooling down. Keyless providers get {@link ProviderKey#none(String)}.
     */
    public Optional<ProviderKey> pickKey(ProviderConfig provider, long now, RandomGenerator generator) {
        return pickKey(provider, now, generator, java.util.Set.of());
    }

    /** As {@link #pickKey(ProviderConfig, long, RandomGenerator)}, never picking a key whose id is in {@code except}. */
    public Optional<ProviderKey> pickKey(ProviderConfig provider, long now, RandomGenerator generator,
                                         java.util.Set<String> except) {
        if (provider.keys().isEmpty()) {
            return Optional.of(ProviderKey.none(provider.id()));
        }
        List<ProviderKey> usable = new ArrayList<>(provider.keys());
        usable.removeIf(key -> except.contains(key.id()));
        while (!usable.isEmpty()) {
            long total = 0;
            for (ProviderKey key : usable) {
                total += key.weight();
            }
            long draw = generator.nextLong(total);
            int index = 0;
            while (draw >= usable.get(index).weight()) {
                draw -= usable.get(index).weight();
                index++;
            }
            ProviderKey candidate = usable.remove(index);
            if (key(candidate).tryAcquire(now)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The key whose cooldown ends first, for a last-resort attempt when every key is cooling. */
    public ProviderKey leastCooledKey(ProviderConfig provider, long now) {
        if (provider.keys().isEmpty()) {
            return ProviderKey.none(provider.id());
        }
        ProviderKey best = provider.keys().getFirst();
        for (ProviderKey key : provider.keys()) {
            if (key(key).snapshot(now).cooldownNanosLeft() < key(best).snapshot(now).cooldownNanosLeft()) {
                best = key;
            }
        }
        return best;
    }

    public void onSuccess(Target target, long latencyNanos) {
        long now = ticker.nanos();
        target(target).onSuccess(now, latencyNanos);
        if (!target.key().isNone()) {
            key(target.key()).onSuccess(now, latencyNanos);
        }
    }

    public void onFailure(Target target, ErrorKind kind, Optional<java.time.Duration> retryAfter) {
        long now = ticker.nanos();
        boolean keyLevel = kind == ErrorKind.RATE_LIMITED || kind == ErrorKind.AUTH;
        if (keyLevel && !target.key().isNone()) {
            key(target.key()).onFailure(now, kind, retryAfter);
            target(target).onCancelled();
        } else {
            target(target).onFailure(now, kind, retryAfter);
            if (!target.key().isNone()) {
                key(target.key()).onCancelled();
            }
        }
    }

    public void onCancelled(Target target) {
        target(target).onCancelled();
        if (!target.key().isNone()) {
            key(target.key()).onCancelled();
        }
    }

    /** Every target's health, by label, sorted. */
    public Map<String, HealthSnapshot> targetSnapshots() {
        long now = ticker.nanos();
        Map<String, HealthSnapshot> result = new TreeMap<>();
        targets.forEach((label, breaker) -> result.put(label, breaker.snapshot(now)));
        return result;
    }

    /** Every provider key's health, by key id, sorted. */
    public Map<String, HealthSnapshot> keySnapshots() {
        long now = ticker.nanos();
        Map<String, HealthSnapshot> result = new TreeMap<>();
        keys.forEach((id, breaker) -> result.put(id, breaker.snapshot(now)));
        return result;
    }
}
