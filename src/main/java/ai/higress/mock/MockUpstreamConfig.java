package ai.higress.mock;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a {@link MockUpstream}: where it listens, how it paces its answers, how often it fails, and which
 * models and API key it accepts.
 *
 * @param host            interface to bind, for example {@code 127.0.0.1}
 * @param port            port to bind; {@code 0} picks a free ephemeral port
 * @param firstTokenDelay pause before the first token (time to first token)
 * @param tokenInterval   pause between two tokens
 * @param extraLatency    pause added before anything else, on top of {@code firstTokenDelay}
 * @param failureRate     share of chat requests answered with HTTP 500, from 0 to 1
 * @param seed            seed of the random source that picks the failing requests
 * @param models          model ids served; a request for any other model gets 404
 * @param apiKey          bearer token required on every request, or empty to accept any caller
 */
public record MockUpstreamConfig(String host, int port, Duration firstTokenDelay, Duration tokenInterval,
        Duration extraLatency, double failureRate, long seed, List<String> models, Optional<String> apiKey) {

    public MockUpstreamConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(apiKey, "apiKey");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        requireNonNegative("first-token-delay", firstTokenDelay);
        requireNonNegative("token-interval", tokenInterval);
        requireNonNegative("extra-latency", extraLatency);
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failure-rate must be between 0 and 1, was " + failureRate);
        }
        models = List.copyOf(models);
        if (models.isEmpty() || models.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("models must list at least one non-blank model id, was " + models);
        }
        if (apiKey.filter(String::isBlank).isPresent()) {
            throw new IllegalArgumentException("api-key must not be blank when set");
        }
    }

    /**
     * Loopback, ephemeral port, realistic pacing (0.2 s to first token, 30 ms per token), no failures, one model
     * {@code demo}, no API key.
     */
    public static MockUpstreamConfig defaults() {
        return new MockUpstreamConfig("127.0.0.1", 0, Duration.ofMillis(200), Duration.ofMillis(30), Duration.ZERO,
                0, 42, List.of("demo"), Optional.empty());
    }

    public MockUpstreamConfig withHost(String newHost) {
        return new MockUpstreamConfig(newHost, port, firstTokenDelay, tokenInterval, extraLatency, failureRate, seed,
                models, apiKey);
    }

    public MockUpstreamConfig withPort(int newPort) {
        return new MockUpstreamConfig(host, newPort, firstTokenDelay, tokenInterval, extraLatency, failureRate, seed,
                models, apiKey);
    }

    public MockUpstreamConfig withFirstTokenDelay(Duration delay) {
        return new MockUpstreamConfig(host, port, delay, tokenInterval, extraLatency, failureRate, seed, models,
                apiKey);
    }

    public MockUpstreamConfig withTokenInterval(Duration interval) {
        return new MockUpstreamConfig(host, port, firstTokenDelay, interval, extraLatency, failureRate, seed, models,
                apiKey);
    }

    public MockUpstreamConfig withExtraLatency(Duration latency) {
        return new MockUpstreamConfig(host, port, firstTokenDelay, tokenInterval, latency, failureRate, seed, models,
                apiKey);
    }

    /** The same settings with every pause set to zero, so answers come back at once (for tests). */
    public MockUpstreamConfig withoutDelays() {
        return new MockUpstreamConfig(host, port, Duration.ZERO, Duration.ZERO, Duration.ZERO, failureRate, seed,
                models, apiKey);
    }

    public MockUpstreamConfig withFailureRate(double rate) {
        return new MockUpstreamConfig(host, port, firstTokenDelay, tokenInterval, extraLatency, rate, seed, models,
                apiKey);
    }

    public MockUpstreamConfig withSeed(long newSeed) {
        return new MockUpstreamConfig(host, port, firstTokenDelay, tokenInterval, extraLatency, failureRate, newSeed,
                models, apiKey);
    }

    public MockUpstreamConfig withModels(List<String> newModels) {
        return new MockUpstreamConfig(host, port, firstTokenDelay, tokenInterval, extraLatency, failureRate, seed,
                newModels, apiKey);
    }

    public MockUpstreamConfig withApiKey(String key) {
        return new MockUpstreamConfig(host, port, firstTokenDelay, tokenInterval, extraLatency, failureRate, seed,
                models, Optional.of(key));
    }

    public MockUpstreamConfig withoutApiKey() {
        return new MockUpstreamConfig(host, port, firstTokenDelay, tokenInterval, extraLatency, failureRate, seed,
                models, Optional.empty());
    }

    private static void requireNonNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }

    @Override
    public String toString() {
        return "MockUpstreamConfig[host=" + host + ", port=" + port + ", firstTokenDelay=" + firstTokenDelay
                + ", tokenInterval=" + tokenInterval + ", extraLatency=" + extraLatency + ", failureRate="
                + failureRate + ", seed=" + seed + ", models=" + models + ", apiKey="
                + apiKey.map(key -> "<redacted>").orElse("<none>") + "]";
    }
}
