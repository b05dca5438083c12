package ai.higress.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import ai.higress.config.RedisConfig;
import ai.higress.config.RedisMode;

import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The gateway's pooled connection to Redis: one server, a Sentinel-managed primary or a Cluster, behind one
 * {@link UnifiedJedis}. Every failure to reach Redis surfaces as {@link RedisUnavailableException}; the pools
 * reconnect by themselves once Redis is back.
 *
 * <p>The client is built on first use, and again after a failed build no sooner than a reconnect interval later:
 * Sentinel and Cluster clients ask the servers for the topology while being built, and a Redis that is down at
 * start-up must not stop the gateway. Every script's keys must share one cluster hash slot; that is checked on every
 * call, in every mode, so a script that would fail on a Cluster fails the standalone tests too.
 */
public final class RedisStore implements AutoCloseable {
    private final Supplier<RedisClients.Connected> connector;
    private final RedisListener listener;
    private final String description;
    private final RedisMode mode;
    private final long reconnectNanos;
    private final long connectWaitNanos;
    private final ReentrantLock connecting = new ReentrantLock();
    private volatile RedisClients.Connected connected;
    private volatile long nextConnectNanos = System.nanoTime();
    private volatile boolean closed;

    private RedisStore(Supplier<RedisClients.Connected> connector, RedisListener listener, RedisConfig config) {
        this.connector = connector;
        this.listener = listener;
        this.description = config.description();
        this.mode = config.topology().orElseThrow().mode();
        this.connectWaitNanos = config.timeout().toNanos();
        Duration interval = config.timeout().multipliedBy(2);
        this.reconnectNanos = Math.max(Duration.ofSeconds(1).toNanos(), interval.toNanos());
    }

    /** A store for {@code config}; it connects on first use, so a Redis that is down at start-up is no error. */
    public static RedisStore create(RedisConfig config, RedisListener listener) {
        if (!config.enabled()) {
            throw new IllegalArgumentException("no Redis is configured");
        }
        RedisStore store = new RedisStore(() -> RedisClients.connect(config), listener, config);
        try {
            store.client("connect");
        } catch (RedisUnavailableException e) {
            // Sentinel or Cluster not reachable yet: the first call after the reconnect interval tries again
        }
        return store;
    }

    /** Runs a script atomically: by digest, sending the source only when Redis does not know it yet. */
    public Object eval(RedisScript script, List<String> keys, List<String> args) {
        requireOneSlot(script, keys);
        long start = System.nanoTime();
        try {
            UnifiedJedis client = client(script.name());
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
            throw unavailable(e);
        } finally {
            listener.call(script.name(), System.nanoTime() - start);
        }
    }

    /**
     * Subscribes {@code subscriber} to {@code channels} on one pooled connection (its read timeout lifted while
     * subscribed) and blocks until it unsubscribes or the connection breaks. On a Cluster the connection goes to any
     * node: classic pub/sub messages reach every node.
     *
     * @throws RedisUnavailableException when Redis cannot be reached or the connection broke
     */
    public void subscribe(JedisPubSub subscriber, String... channels) {
        try {
            client("subscribe").subscribe(subscriber, channels);
        } catch (JedisException e) {
            failed("subscribe");
            throw unavailable(e);
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
            return "PONG".equals(client("ping").ping());
        } catch (JedisException | RedisUnavailableException e) {
            if (e instanceof JedisException) {
                failed("ping");
            }
            return false;
        } finally {
            listener.call("ping", System.nanoTime() - start);
        }
    }

    /** Where Redis is, password hidden. */
    public String description() {
        return description;
    }

    public RedisMode mode() {
        return mode;
    }

    private UnifiedJedis client(String operation) {
        RedisClients.Connected current = connected;
        if (current != null) {
            return current.client();
        }
        if (closed || System.nanoTime() < nextConnectNanos || !lockForConnect()) {
            throw new RedisUnavailableException("Redis at " + description + " is not connected yet", null);
        }
        try {
            if (connected == null) {
                try {
                    connected = connector.get();
                } catch (JedisException e) {
                    nextConnectNanos = System.nanoTime() + reconnectNanos;
                    listener.error(operation);
                    throw unavailable(e);
                }
            }
            return connected.client();
        } finally {
            connecting.unlock();
        }
    }

    /** Waits at most one timeout for a connect under way on another thread. */
    private boolean lockForConnect() {
        try {
            return connecting.tryLock(connectWaitNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void requireOneSlot(RedisScript script, List<String> keys) {
        if (keys.size() < 2) {
            return;
        }
        int slot = JedisClusterCRC16.getSlot(keys.getFirst());
        for (String key : keys) {
            if (JedisClusterCRC16.getSlot(key) != slot) {
                throw new IllegalStateException("Redis script " + script.name() + " touches keys of different hash "
                        + "slots, which a Redis Cluster refuses: give them one {hash tag}");
            }
        }
    }

    private RedisUnavailableException unavailable(JedisException e) {
        return new RedisUnavailableException("Redis at " + description + " is unavailable: " + e.getMessage(), e);
    }

    /**
     * After a failure the idle pooled connections are likely dead too (Redis restarted, or failed over): drop them, so
     * the calls after Redis is back open fresh connections instead of failing once per stale one.
     */
    private void failed(String operation) {
        listener.error(operation);
        RedisClients.Connected current = connected;
        if (current == null) {
            return;
        }
        try {
            current.dropIdle().run();
        } catch (RuntimeException e) {
            // the pool is closing; nothing to drop
        }
    }

    @Override
    public void close() {
        closed = true;
        connecting.lock();
        try {
            if (connected != null) {
                connected.client().close();
            }
        } finally {
            connecting.unlock();
        }
    }
}
