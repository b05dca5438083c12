package ai.higress.redis;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import ai.higress.config.RedisAuth;
import ai.higress.config.RedisConfig;
import ai.higress.config.RedisNode;
import ai.higress.config.RedisTopology;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds the Jedis client of each topology. All three are a {@link UnifiedJedis}, so the store runs the same
 * commands on any of them; only dropping idle connections after a failure differs (each keeps its pools its own way).
 */
final class RedisClients {
    private static final String CLIENT_NAME = "ai-higress-gateway";

    private RedisClients() {
    }

    /** A connected client and how to empty its pools. */
    record Connected(UnifiedJedis client, Runnable dropIdle) {
    }

    /**
     * Connects as {@code config} says. Sentinel and Cluster clients ask the servers for the topology while being
     * built, so this throws when Redis is unreachable; the store retries later.
     */
    static Connected connect(RedisConfig config) {
        RedisTopology topology = config.topology().orElseThrow(() -> new IllegalArgumentException("no Redis"));
        return switch (topology) {
            case RedisTopology.Standalone standalone -> standalone(standalone.url(), config);
            case RedisTopology.Sentinel sentinel -> sentinel(sentinel, config);
            case RedisTopology.Cluster cluster -> cluster(cluster, config);
        };
    }

    private static Connected standalone(URI url, RedisConfig config) {
        DefaultJedisClientConfig.Builder client = base(config.timeout()).ssl(url.getScheme().equals("rediss"));
        String userInfo = url.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                client.password(userInfo);
            } else {
                if (colon > 0) {
                    client.user(userInfo.substring(0, colon));
                }
                client.password(userInfo.substring(colon + 1));
            }
        }
        String path = url.getPath() == null ? "" : url.getPath();
        if (path.length() > 1) {
            client.database(Integer.parseInt(path.substring(1)));
        }
        RedisClient redis = RedisClient.builder()
                .hostAndPort(url.getHost(), url.getPort() < 0 ? 6379 : url.getPort())
                .clientConfig(client.build())
                .poolConfig(pool(config))
                .build();
        return new Connected(redis, () -> redis.getPool().clear());
    }

    private static Connected sentinel(RedisTopology.Sentinel sentinel, RedisConfig config) {
        JedisClientConfig primary = auth(base(config.timeout()).ssl(sentinel.tls()).database(sentinel.database()),
                sentinel.auth()).build();
        JedisClientConfig sentinels = auth(base(config.timeout()).ssl(sentinel.tls()), sentinel.sentinelAuth())
                .build();
        RedisSentinelClient redis = RedisSentinelClient.builder()
                .masterName(sentinel.masterName())
                .sentinels(hosts(sentinel.sentinels()))
                .clientConfig(primary)
                .sentinelClientConfig(sentinels)
                .poolConfig(pool(config))
                .build();
        return new Connected(redis, () -> redis.getPrimaryNodesConnectionMap().values().forEach(pool -> pool.clear()));
    }

    private static Connected cluster(RedisTopology.Cluster cluster, RedisConfig config) {
        JedisClientConfig nodes = auth(base(config.timeout()).ssl(cluster.tls()), cluster.auth()).build();
        RedisClusterClient redis = RedisClusterClient.builder()
                .nodes(hosts(cluster.seeds()))
                .clientConfig(nodes)
                .poolConfig(pool(config))
                .maxAttempts(cluster.maxAttempts())
                // bounds a call against a cluster that is down: every attempt may wait for its own timeout
                .maxTotalRetriesDuration(config.timeout().multipliedBy(cluster.maxAttempts()))
                .build();
        return new Connected(redis, () -> redis.getClusterNodes().values().forEach(pool -> pool.clear()));
    }

    private static DefaultJedisClientConfig.Builder base(Duration timeout) {
        int millis = (int) timeout.toMillis();
        return DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .clientName(CLIENT_NAME);
    }

    private static DefaultJedisClientConfig.Builder auth(DefaultJedisClientConfig.Builder builder, RedisAuth auth) {
        if (auth.present()) {
            if (!auth.username().isEmpty()) {
                builder.user(auth.username());
            }
            builder.password(auth.password().reveal());
        }
        return builder;
    }

    private static Set<HostAndPort> hosts(List<RedisNode> nodes) {
        Set<HostAndPort> hosts = new LinkedHashSet<>();
        nodes.forEach(node -> hosts.add(new HostAndPort(node.host(), node.port())));
        return hosts;
    }

    private static GenericObjectPoolConfig<Connection> pool(RedisConfig config) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(config.poolSize());
        pool.setMaxIdle(config.poolSize());
        pool.setMinIdle(0);
        pool.setMaxWait(config.timeout());
        pool.setJmxEnabled(false);
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        return pool;
    }
}
