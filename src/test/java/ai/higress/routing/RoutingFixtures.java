package ai.higress.routing;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import ai.higress.config.AuthStyle;
import ai.higress.config.HealthConfig;
import ai.higress.config.ModelCapabilities;
import ai.higress.config.PathStyle;
import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderKey;
import ai.higress.config.ProviderPreset;
import ai.higress.config.ProviderType;
import ai.higress.config.RetryConfig;
import ai.higress.config.Secret;
import ai.higress.config.TimeoutsConfig;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;

/** Shared pieces of the routing unit tests: a fake clock, providers built in code, health settings. */
final class RoutingFixtures {

    private RoutingFixtures() {
    }

    /** A mutable clock: time moves only when a test moves it. Thread-safe, so attempts may move it too. */
    static final class FakeTicker implements Ticker {
        private final AtomicLong now;

        FakeTicker() {
            this(0);
        }

        FakeTicker(long start) {
            this.now = new AtomicLong(start);
        }

        @Override
        public long nanos() {
            return now.get();
        }

        void advance(Duration by) {
            now.addAndGet(by.toNanos());
        }

        void advanceNanos(long by) {
            now.addAndGet(by);
        }

        void set(long nanos) {
            now.set(nanos);
        }
    }

    /** The defaults of {@code routing.health}. */
    static final HealthConfig HEALTH = new HealthConfig(Duration.ofSeconds(30), 10, 0.5, 5, Duration.ofSeconds(5),
            Duration.ofMinutes(5), 0.2, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMinutes(10),
            Duration.ofSeconds(10));

    /** The defaults of {@code routing.retry}. */
    static final RetryConfig RETRY = new RetryConfig(0.2, 5, Duration.ofSeconds(10), Duration.ofMillis(50),
            Duration.ofSeconds(1));

    /** Health settings with the given knobs and the defaults otherwise. */
    static HealthConfig health(int minRequests, double errorRatio, int consecutiveFailures, double jitter) {
        return new HealthConfig(HEALTH.window(), minRequests, errorRatio, consecutiveFailures, HEALTH.cooldown(),
                HEALTH.maxCooldown(), jitter, HEALTH.recovery(), HEALTH.rateLimitCooldown(), HEALTH.authCooldown(),
                HEALTH.latencyDecay());
    }

    /** A keyless provider (a local server) serving {@code models}. */
    static ProviderConfig provider(String id, String... models) {
        return provider(id, List.of(), ModelCapabilities.ALL, Map.of(), models);
    }

    /** A provider with keys {@code <id>#0..n} of the given weights. */
    static ProviderConfig keyedProvider(String id, int... weights) {
        List<ProviderKey> keys = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            keys.add(new ProviderKey(id + "#" + i, Secret.of("sk-" + id + "-key-" + i), weights[i]));
        }
        return provider(id, keys, ModelCapabilities.ALL, Map.of());
    }

    static ProviderConfig provider(String id, List<ProviderKey> keys, ModelCapabilities capabilities,
                                   Map<String, ModelCapabilities> perModel, String... models) {
        return new ProviderConfig(id, ProviderType.OPENAI, ProviderPreset.CUSTOM,
                URI.create("http://" + id + ".invalid/v1"), keys, keys.isEmpty() ? AuthStyle.NONE : AuthStyle.BEARER,
                PathStyle.STANDARD, "", Map.of(), List.of(models), capabilities, perModel, 10, true,
                TimeoutsConfig.DEFAULTS);
    }

    static UpstreamException failure(ErrorKind kind, String provider) {
        return failure(kind, provider, Optional.empty());
    }

    static UpstreamException failure(ErrorKind kind, String provider, Optional<Duration> retryAfter) {
        return UpstreamException.answered(kind, 500, "failure of " + provider, Optional.empty(), Optional.empty(),
                retryAfter);
    }
}
