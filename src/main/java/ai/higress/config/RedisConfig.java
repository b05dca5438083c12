package ai.higress.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * The shared store. Without one ({@code redis.mode: standalone} and no {@code redis.url}) every piece of shared state
 * stays in this process (one node).
 *
 * @param topology           where Redis is: one server, a Sentinel-managed primary or a Cluster; empty = no Redis
 * @param poolSize           connections in the pool (per node in a cluster; Jedis' default of 8 throttles at a few
 *                           dozen concurrent requests)
 * @param timeout            connect and socket timeout of each Redis call
 * @param requestsPolicy     what the requests-per-minute limit does when Redis is unreachable
 * @param tokensPolicy       what the tokens-per-minute limit does when Redis is unreachable
 * @param concurrencyPolicy  what the providers' concurrency caps do when Redis is unreachable
 */
public record RedisConfig(Optional<RedisTopology> topology, int poolSize, Duration timeout,
                          FailurePolicy requestsPolicy, FailurePolicy tokensPolicy, FailurePolicy concurrencyPolicy) {
    public static final RedisConfig NONE = new RedisConfig(Optional.empty(), 64, Duration.ofMillis(500),
            FailurePolicy.FAIL_OPEN, FailurePolicy.FAIL_OPEN, FailurePolicy.FAIL_OPEN);

    public static RedisConfig create(Config node) {
        Optional<RedisTopology> topology = RedisTopology.create(node);
        if (topology.isPresent() && topology.get().mode() != RedisMode.STANDALONE && node.get("url").exists()
                && Nodes.optionalString(node.get("url")).isPresent()) {
            throw new ConfigException(Nodes.key(node.get("url")), "is for mode standalone only; with mode "
                    + topology.get().mode().name().toLowerCase() + " remove it (or unset REDIS_URL)");
        }
        Duration timeout = Nodes.duration(node.get("timeout"), NONE.timeout());
        if (timeout.toMillis() > Integer.MAX_VALUE || timeout.toMillis() < 1) {
            throw new ConfigException(Nodes.key(node.get("timeout")), "must be between 1 ms and 24 days");
        }
        return new RedisConfig(topology, Nodes.integer(node.get("pool-size"), NONE.poolSize(), 1, 4096), timeout,
                policy(node, "requests"), policy(node, "tokens"), policy(node, "concurrency"));
    }

    /** One standalone server at {@code url}, every policy failing open: for tools and tests. */
    public static RedisConfig standalone(URI url, int poolSize, Duration timeout) {
        return new RedisConfig(Optional.of(new RedisTopology.Standalone(url)), poolSize, timeout,
                FailurePolicy.FAIL_OPEN, FailurePolicy.FAIL_OPEN, FailurePolicy.FAIL_OPEN);
    }

    private static FailurePolicy policy(Config node, String limit) {
        return Nodes.enumValue(node.get("failure-policy." + limit), FailurePolicy.class, FailurePolicy.FAIL_OPEN);
    }

    public boolean enabled() {
        return topology.isPresent();
    }

    /** Whether some limit refuses requests while Redis is unreachable (so readiness depends on Redis). */
    public boolean anyFailsClosed() {
        return requestsPolicy == FailurePolicy.FAIL_CLOSED || tokensPolicy == FailurePolicy.FAIL_CLOSED
                || concurrencyPolicy == FailurePolicy.FAIL_CLOSED;
    }

    /** Where Redis is, with any password hidden: the only form that may be logged or printed. */
    public String description() {
        return topology.map(RedisTopology::description).orElse("");
    }

    @Override
    public String toString() {
        return "RedisConfig[" + description() + ", poolSize=" + poolSize + ", timeout=" + timeout + ", requestsPolicy="
                + requestsPolicy + ", tokensPolicy=" + tokensPolicy + ", concurrencyPolicy=" + concurrencyPolicy + "]";
    }
}
