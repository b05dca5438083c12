package ai.higress.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
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
        assertEquals("redis://cache.internal:6380/2", redis.description());
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
        assertEquals("redis://envhost:6379", config.redis().description());
    }

    @Test
    void thePasswordIsNeverShown() {
        RedisConfig redis = load("redis: {url: \"redis://app:s3cret-pass@cache:6379\"}").redis();
        assertEquals("redis://app:***@cache:6379", redis.description());
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
    void sentinelModeReadsTheMasterNameNodesAndBothCredentials() {
        RedisConfig redis = load("""
                redis:
                  mode: sentinel
                  username: app
                  password: "primary-s3cret"
                  database: 3
                  tls: true
                  sentinel:
                    master-name: gateway
                    nodes: ["10.0.0.1:26379", "[fd00::2]:26380"]
                    password: "sentinel-s3cret"
                  failure-policy: {concurrency: fail-closed}
                """).redis();
        RedisTopology.Sentinel sentinel = (RedisTopology.Sentinel) redis.topology().orElseThrow();
        assertEquals("gateway", sentinel.masterName());
        assertEquals(List.of(new RedisNode("10.0.0.1", 26379), new RedisNode("fd00::2", 26380)), sentinel.sentinels());
        assertEquals("app", sentinel.auth().username());
        assertEquals("primary-s3cret", sentinel.auth().password().reveal());
        assertEquals("sentinel-s3cret", sentinel.sentinelAuth().password().reveal());
        assertEquals(3, sentinel.database());
        assertTrue(sentinel.tls());
        assertEquals(FailurePolicy.FAIL_CLOSED, redis.concurrencyPolicy());
        assertTrue(redis.anyFailsClosed());
        assertEquals("sentinel gateway@[10.0.0.1:26379, [fd00::2]:26380]", redis.description());
        assertFalse(redis.toString().contains("s3cret"), redis.toString());
        assertFalse(sentinel.toString().contains("s3cret"), sentinel.toString());
    }

    @Test
    void clusterModeReadsItsSeedNodes() {
        RedisConfig redis = load("""
                redis:
                  mode: cluster
                  password: "cluster-s3cret"
                  cluster: {nodes: ["cache-0:6379", "cache-1:6379"], max-attempts: 5}
                """).redis();
        RedisTopology.Cluster cluster = (RedisTopology.Cluster) redis.topology().orElseThrow();
        assertEquals(List.of(new RedisNode("cache-0", 6379), new RedisNode("cache-1", 6379)), cluster.seeds());
        assertEquals(5, cluster.maxAttempts());
        assertEquals(RedisMode.CLUSTER, cluster.mode());
        assertTrue(redis.enabled());
        assertFalse(redis.anyFailsClosed());
        assertEquals("cluster [cache-0:6379, cache-1:6379]", redis.description());
        assertFalse(redis.toString().contains("s3cret"), redis.toString());
    }

    @Test
    void sentinelAndClusterSettingsAreValidated() {
        failure("redis: {mode: replicated}", "redis.mode");
        failure("redis: {mode: sentinel, sentinel: {nodes: [\"s:26379\"]}}", "redis.sentinel.master-name");
        failure("redis: {mode: sentinel, sentinel: {master-name: m}}", "redis.sentinel.nodes");
        failure("redis: {mode: sentinel, sentinel: {master-name: m, nodes: [\"s\"]}}", "redis.sentinel.nodes.0");
        failure("redis: {mode: cluster, cluster: {nodes: [\"c:0\"]}}", "redis.cluster.nodes.0");
        failure("redis: {mode: cluster, cluster: {nodes: [\"fd00::1:6379\"]}}", "redis.cluster.nodes.0");
        failure("redis: {mode: cluster, cluster: {nodes: [\"c:6379\"], max-attempts: 0}}",
                "redis.cluster.max-attempts");
        failure("redis: {mode: cluster, username: u, cluster: {nodes: [\"c:6379\"]}}", "redis.password");
        String message = failure("redis: {mode: cluster, url: \"redis://c:6379\", cluster: {nodes: [\"c:6379\"]}}",
                "redis.url");
        assertTrue(message.contains("standalone"), message);
        failure("redis: {failure-policy: {concurrency: sometimes}}", "redis.failure-policy.concurrency");
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
