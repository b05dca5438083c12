package ai.higress.redis;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.higress.routing.HealthSharing;
import ai.higress.routing.HealthTracker;

import redis.clients.jedis.JedisPubSub;

/**
 * Shares circuit opens and closes between replicas through Redis. A replica's own open is written as a key
 * {@code higress:health:<scope>:<id>} (value {@code until-epoch-millis, origin replica, reason}) whose TTL is the
 * cooldown, and published on the channel {@code higress:health}; its own close deletes the key and is published too.
 * Every replica subscribes on one dedicated thread (reconnecting with backoff) and applies what others publish; a
 * periodic reconcile re-reads the keys of the targets and keys it knows, so a missed message heals.
 *
 * <p>Durations, not instants, cross the wire: a message carries the remaining cooldown and the reconcile uses the
 * key's PTTL, so clocks of replicas need not agree. Applied opens are never published again (no echo), never shorten
 * a longer local cooldown, and a replica ignores its own messages. When Redis is down every call fails fast, is
 * counted and logged once per outage, and health stays local.
 */
public final class SharedHealth implements HealthSharing, AutoCloseable {
    public static final String CHANNEL = "higress:health";
    public static final String PREFIX = "higress:health:";
    private static final System.Logger LOG = System.getLogger(SharedHealth.class.getName());
    private static final String SEPARATOR = "\t";
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private static final RedisScript OPEN = RedisScript.of("health-open", """
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < tonumber(ARGV[2]) then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            end
            redis.call('PUBLISH', ARGV[3], ARGV[4])
            return ttl
            """);
    private static final RedisScript CLOSE = RedisScript.of("health-close", """
            redis.call('DEL', KEYS[1])
            redis.call('PUBLISH', ARGV[1], ARGV[2])
            return 1
            """);
    private static final RedisScript READ = RedisScript.of("health-read", """
            local result = {}
            for i, key in ipairs(KEYS) do
              result[2 * i - 1] = redis.call('GET', key) or ''
              result[2 * i] = redis.call('PTTL', key)
            end
            return result
            """);

    private final RedisStore store;
    private final HealthTracker tracker;
    private final String origin;
    private final ThreadPoolExecutor publisher;
    private final ScheduledExecutorService reconciler;
    private final Thread subscriberThread;
    private volatile Subscriber subscriber = new Subscriber();
    private volatile boolean listening;
    private final AtomicBoolean available = new AtomicBoolean(true);
    private volatile boolean closed;

    private SharedHealth(RedisStore store, HealthTracker tracker, String origin) {
        this.store = store;
        this.tracker = tracker;
        this.origin = origin;
        this.publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1024),
                Thread.ofPlatform().daemon().name("higress-health-publisher").factory(),
                new ThreadPoolExecutor.DiscardOldestPolicy());
        this.reconciler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("higress-health-reconcile").factory());
        this.subscriberThread = Thread.ofPlatform().daemon().name("higress-health-subscriber").unstarted(this::listen);
    }

    /** Starts sharing {@code tracker}'s circuits through {@code store}: subscribes, reconciles, publishes. */
    public static SharedHealth start(RedisStore store, HealthTracker tracker, Duration reconcileInterval) {
        String origin = host() + "-" + UUID.randomUUID().toString().substring(0, 8);
        SharedHealth shared = new SharedHealth(store, tracker, origin);
        shared.subscriberThread.start();
        long every = reconcileInterval.toMillis();
        shared.reconciler.scheduleWithFixedDelay(shared::reconcile, every, every, TimeUnit.MILLISECONDS);
        tracker.share(shared);
        return shared;
    }

    /** This replica's name in what it publishes. */
    public String origin() {
        return origin;
    }

    /** Whether the subscription is live (for tests and readiness details). */
    public boolean subscribed() {
        return listening;
    }

    public static String key(Scope scope, String id) {
        return PREFIX + scope.tag() + ":" + id;
    }

    @Override
    public void opened(Scope scope, String id, Duration cooldown, String reason) {
        long millis = Math.max(1, cooldown.toMillis());
        String value = (System.currentTimeMillis() + millis) + SEPARATOR + origin + SEPARATOR + reason;
        String message = String.join(SEPARATOR, "open", scope.tag(), id, Long.toString(millis), origin, reason);
        submit(() -> store.eval(OPEN, List.of(key(scope, id)),
                List.of(value, Long.toString(millis), CHANNEL, message)));
    }

    @Override
    public void closed(Scope scope, String id) {
        String message = String.join(SEPARATOR, "close", scope.tag(), id, "0", origin, "");
        submit(() -> store.eval(CLOSE, List.of(key(scope, id)), List.of(CHANNEL, message)));
    }

    private void submit(Runnable call) {
        if (closed) {
            return;
        }
        publisher.execute(() -> {
            try {
                try {
                    call.run();
                } catch (RedisUnavailableException e) {
                    // the pool dropped its stale connections: one more try on a fresh one (Redis just came back)
                    call.run();
                }
                recovered();
            } catch (RedisUnavailableException e) {
                unavailable(e);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Publishing a circuit change failed", e);
            }
        });
    }

    /** Re-reads the open circuits of every known target and key and applies those opened elsewhere. */
    void reconcile() {
        if (closed) {
            return;
        }
        List<Scope> scopes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        tracker.targetLabels().forEach(label -> add(scopes, ids, keys, Scope.TARGET, label));
        tracker.keyIds().forEach(id -> add(scopes, ids, keys, Scope.KEY, id));
        try {
            if (keys.isEmpty()) {
                return;
            }
            Object result = store.eval(READ, keys, List.of());
            List<?> values = (List<?>) result;
            for (int i = 0; i < keys.size(); i++) {
                String value = text(values.get(2 * i));
                long ttl = (Long) values.get(2 * i + 1);
                if (value.isEmpty() || ttl <= 0) {
                    continue;
                }
                String[] parts = value.split(SEPARATOR, 3);
                if (parts.length == 3 && !parts[1].equals(origin)) {
                    tracker.applyRemoteOpen(scopes.get(i), ids.get(i), Duration.ofMillis(ttl), parts[2]);
                }
            }
            recovered();
        } catch (RedisUnavailableException e) {
            unavailable(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Reconciling shared health failed", e);
        }
    }

    private static void add(List<Scope> scopes, List<String> ids, List<String> keys, Scope scope, String id) {
        scopes.add(scope);
        ids.add(id);
        keys.add(key(scope, id));
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(value);
    }

    /** Applies one message from the channel; own messages and malformed ones are ignored. */
    void apply(String message) {
        String[] parts = message.split(SEPARATOR, 6);
        if (parts.length != 6 || parts[4].equals(origin)) {
            return;
        }
        Scope scope = parts[1].equals("key") ? Scope.KEY : Scope.TARGET;
        try {
            switch (parts[0]) {
                case "open" -> tracker.applyRemoteOpen(scope, parts[2], Duration.ofMillis(Long.parseLong(parts[3])),
                        parts[5]);
                case "close" -> tracker.applyRemoteClose(scope, parts[2]);
                default -> LOG.log(Level.DEBUG, "Unknown shared health message {0}", parts[0]);
            }
        } catch (NumberFormatException e) {
            LOG.log(Level.DEBUG, "Malformed shared health message");
        }
    }

    private void listen() {
        long backoff = 100;
        while (!closed) {
            Subscriber current = new Subscriber();
            subscriber = current;
            try {
                store.subscribe(current, CHANNEL);
                backoff = 100;
            } catch (RedisUnavailableException e) {
                unavailable(e);
            } catch (RuntimeException e) {
                store.failure("subscribe");
                unavailable(e);
            } finally {
                listening = false;
            }
            if (closed) {
                return;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    private void unavailable(RuntimeException e) {
        if (!closed && available.compareAndSet(true, false)) {
            LOG.log(Level.WARNING, "Shared health: Redis is unavailable, circuits stay local until it is back: {0}",
                    e.getMessage());
        }
    }

    private void recovered() {
        if (available.compareAndSet(false, true)) {
            LOG.log(Level.INFO, "Shared health: Redis is back, circuits are shared again");
        }
    }

    @Override
    public void close() {
        closed = true;
        tracker.share(HealthSharing.NONE);
        try {
            if (listening) {
                subscriber.unsubscribe();
            }
        } catch (RuntimeException e) {
            // the connection is already gone
        }
        subscriberThread.interrupt();
        reconciler.shutdownNow();
        publisher.shutdown();
        try {
            publisher.awaitTermination(1, TimeUnit.SECONDS);
            subscriberThread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "replica";
        }
    }

    private final class Subscriber extends JedisPubSub {
        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            listening = true;
            recovered();
            // whatever was published while this replica was not listening
            try {
                reconciler.execute(SharedHealth.this::reconcile);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }

        @Override
        public void onMessage(String channel, String message) {
            apply(message);
        }
    }
}
