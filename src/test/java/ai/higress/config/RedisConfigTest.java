package ai.higress.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

class RedisConfigTest {

    private static GatewayConfig load(String yaml) {
        return GatewayConfig.create(Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML)));
    }

    private static String failure(String yaml, String key) {
        ConfigException failure = assertThrows(ConfigException.class, () -> load(yaml));
        assertTrue(failure.getMessage().startsWith(key + ": "), failure.getMessage());
        return failure.getMessage();
    }

    @Test
    void defaultsMeanNoRedis() {
        GatewayConfig config = load("server: {port: 8080}");
        assertFalse(config.redis().enabled());
        assertEquals(64, config.redis().poolSize());
        assertEquals(Duration.ofMillis(500), config.redis().timeout());
        assertEquals(FailurePolicy.FAIL_OPEN, config.redis().requestsPolicy());
        assertEquals(FailurePolicy.FAIL_OPEN, config.redis().tokensPolicy());
        assertEquals(RateLimitConfig.DEFAULTS, config.rateLimits());
    }

    @Test
    void everyKeyIsRead() {
        RedisConfig redis = load("""
                redis:
                  url: "redis://cache.internal:6380/2"
                  pool-size: 128
                  timeout: PT0.25S
                  failure-policy: {requests: fail-closed, tokens: fail-open}
                rate-limits: {default-max-tokens: 256, failure-log-interval: PT5S}
                """).redis();
        assertEquals("redis://cache.internal:6380/2", redis.redactedUrl());
        assertEquals(128, redis.poolSize());
        assertEquals(Duration.ofMillis(250), redis.timeout());
        assertEquals(FailurePolicy.FAIL_CLOSED, redis.requestsPolicy());
        assertEquals(FailurePolicy.FAIL_OPEN, redis.tokensPolicy());
    }

    @Test
    void theRedisUrlComesFromTheEnvironmentThroughHelidonsMapping() {
        // the mapping Helidon's environment-variables source applies: REDIS_URL is also redis.url
        Map<String, String> env = io.helidon.config.EnvironmentVariables.expand(Map.of("REDIS_URL",
                "redis://envhost:6379"));
        GatewayConfig config = GatewayConfig.create(Config.just(ConfigSources.create(env)));
        assertEquals("redis://envhost:6379", config.redis().redactedUrl());
    }

    @Test
    void thePasswordIsNeverShown() {
        RedisConfig redis = load("redis: {url: \"redis://app:s3cret-pass@cache:6379\"}").redis();
        assertEquals("redis://app:***@cache:6379", redis.redactedUrl());
        assertFalse(redis.toString().contains("s3cret"), redis.toString());
        String message = failure("redis: {url: \"http://app:s3cret-pass@cache:6379\"}", "redis.url");
        assertFalse(message.contains("s3cret"), message);
    }

    @Test
    void invalidValuesNameTheirKey() {
        failure("redis: {url: \"cache:6379\"}", "redis.url");
        failure("redis: {url: \"redis://cache:6379/db\"}", "redis.url");
        failure("redis: {url: \"redis://cache\", pool-size: 0}", "redis.pool-size");
        failure("redis: {timeout: 5s}", "redis.timeout");
        failure("redis: {failure-policy: {requests: maybe}}", "redis.failure-policy.requests");
        failure("rate-limits: {default-max-tokens: -1}", "rate-limits.default-max-tokens");
    }

    @Test
    void staticKeysCarryRpmAndTpm() {
        GatewayConfig config = load("""
                auth:
                  api-keys:
                    - {name: limited, key: "sk-limited-0123456789", rpm: 60, tpm: 40000}
                    - {name: free, key: "sk-free-key-0123456789"}
                """);
        ApiKeyConfig limited = config.auth().apiKeys().get(0);
        assertEquals(OptionalInt.of(60), limited.requestsPerMinute());
        assertEquals(OptionalInt.of(40000), limited.tokensPerMinute());
        assertEquals(OptionalInt.empty(), config.auth().apiKeys().get(1).requestsPerMinute());
        failure("""
                auth:
                  api-keys: [{name: bad, key: "sk-limited-0123456789", rpm: 0}]
                """, "auth.api-keys.0.rpm");
    }
}
