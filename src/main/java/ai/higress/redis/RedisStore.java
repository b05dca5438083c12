package ai.higress.redis;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import ai.higress.config.RedisConfig;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The gateway's pooled connection to one standalone Redis. Every failure to reach Redis surfaces as
 * {@link RedisUnavailableException}; the pool reconnects by itself once Redis is back.
 */
public final class RedisStore implements AutoCloseable {
    private final RedisClient client;
    private final RedisListener listener;
    private final String description;

    private RedisStore(RedisClient client, RedisListener listener, String description) {
        this.client = client;
        this.listener = listener;
        this.description = description;
    }

    /** Connects lazily: the pool opens connections on first use, so a Redis that is down at start-up is no error. */
    public static RedisStore create(RedisConfig config, RedisListener listener) {
        URI url = config.url().orElseThrow(() -> new IllegalArgumentException("redis.url is not set"));
        int timeoutMillis = (int) config.timeout().toMillis();
        DefaultJedisClientConfig.Builder clientConfig = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .clientName("ai-higress-gateway")
                .ssl(url.getScheme().equals("rediss"));
        String userInfo = url.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                clientConfig.password(userInfo);
            } else {
                if (colon > 0) {
                    clientConfig.user(userInfo.substring(0, colon));
                }
                clientConfig.password(userInfo.substring(colon + 1));
            }
        }
        String path = url.getPath() == null ? "" : url.getPath();
        if (path.length() > 1) {
            clientConfig.database(Integer.parseInt(path.substring(1)));
        }
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(config.poolSize());
        pool.setMaxIdle(config.poolSize());
        pool.setMinIdle(0);
        pool.setMaxWait(config.timeout());
        pool.setJmxEnabled(false);
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        RedisClient client = RedisClient.builder()
                .hostAndPort(url.getHost(), url.getPort() < 0 ? 6379 : url.getPort())
                .clientConfig(clientConfig.build())
                .poolConfig(pool)
                .build();
        return new RedisStore(client, listener, config.redactedUrl());
    }

    /** Runs a script atomically: by digest, sending the source only when Redis does not know it yet. */
    public Object eval(RedisScript script, List<String> keys, List<String> args) {
        long start = System.nanoTime();
        try {
            try {
                return client.evalsha(script.sha(), keys, args);
            } catch (JedisNoScriptException e) {
                return client.eval(script.source(), keys, args);
            }
        } catch (JedisDataException e) {
            // a script error is a bug, not an outage
            throw new IllegalStateException("Redis script " + script.name() + " failed: " + e.getMessage(), e);
        } catch (JedisException e) {
            failed(script.name());
            throw new RedisUnavailableException("Redis at " + description + " is unavailable: " + e.getMessage(), e);
        } finally {
            listener.call(script.name(), System.nanoTime() - start);
        }
    }

    /**
     * Subscribes {@code subscriber} to {@code channels} on one pooled connection (its read timeout lifted while
     * subscribed) and blocks until it unsubscribes or the connection breaks.
     *
     * @throws RedisUnavailableException when Redis cannot be reached or the connection broke
     */
    public void subscribe(JedisPubSub subscriber, String... channels) {
        try {
            client.subscribe(subscriber, channels);
        } catch (JedisException e) {
            failed("subscribe");
            throw new RedisUnavailableException("Redis at " + description + " is unavailable: " + e.getMessage(), e);
        }
    }

    /** Counts a failure noticed outside this store (a broken subscription) and drops the idle connections. */
    public void failure(String operation) {
        failed(operation);
    }

    /** Whether Redis answers a PING within the timeout. */
    public boolean ping() {
        long start = System.nanoTime();
        try {
            return "PONG".equals(client.ping());
        } catch (JedisException e) {
            failed("ping");
            return false;
        } finally {
            listener.call("ping", System.nanoTime() - start);
        }
    }

    /**
     * After a failure the idle pooled connections are likely dead too (Redis restarted, or failed over): drop them, so
     * the calls after Redis is back open fresh connections instead of failing once per stale one.
     */
    private void failed(String operation) {
        listener.error(operation);
        try {
            client.getPool().clear();
        } catch (RuntimeException e) {
            // the pool is closing; nothing to drop
        }
    }

    /** The URL with its password hidden. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        client.close();
    }
}
