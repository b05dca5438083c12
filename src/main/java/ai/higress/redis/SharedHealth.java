package ai.higress.redis;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.higress.config.SharedHealthConfig;
import ai.higress.routing.HealthSharing;
import ai.higress.routing.HealthTracker;

import redis.clients.jedis.JedisPubSub;

/**
 * Shares circuit opens and closes between replicas through Redis. A replica's own open is written as a key
 * {@code higress:{health}:<scope>:<id>} (value {@code until-epoch-millis, origin replica, reason}) whose TTL is the
 * cooldown, and published on the channel {@code higress:health}; its own close replaces the key by a short-lived close
 * marker and is published too. Every replica subscribes on one dedicated thread (reconnecting with backoff) and
 * applies what others publish; a periodic reconcile re-reads the keys of the targets and keys it knows, so a missed
 * open or close heals.
 *
 * <p>Durations, not instants, cross the wire: a message carries the remaining cooldown and the reconcile uses the
 * key's PTTL, so clocks of replicas need not agree. Applied opens are never published again (no echo), never shorten
 * a longer local cooldown, and a replica ignores its own messages. When Redis is down every call fails fast, is
 * counted and logged once per outage, health stays local, and the transitions that could not be published are
 * published when Redis is back (opens with what is left of their cooldown).
 */
public final class SharedHealth implements HealthSharing, AutoCloseable {
    public static final String CHANNEL = HealthRecords.CHANNEL;
    private static final System.Logger LOG = System.getLogger(SharedHealth.class.getName());
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final RedisStore store;
    private final HealthTracker tracker;
    private final SharedHealthConfig config;
    private final String origin;
    private final ThreadPoolExecutor publisher;
    private final ScheduledExecutorService reconciler;
    private final Thread subscriberThread;
    /** Transitions that could not be published, newest per circuit; touched on the publisher thread only. */
    private final Map<String, Transition> unpublished = new LinkedHashMap<>();
    private volatile Subscriber subscriber = new Subscriber();
    private volatile boolean listening;
    private final AtomicBoolean available = new AtomicBoolean(true);
    private volatile boolean closed;

    private SharedHealth(RedisStore store, HealthTracker tracker, SharedHealthConfig config, String origin) {
        this.store = store;
        this.tracker = tracker;
        this.config = config;
        this.origin = origin;
        this.publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1024),
                Thread.ofPlatform().daemon().name("higress-health-publisher").factory(),
                new ThreadPoolExecutor.DiscardOldestPolicy());
        this.reconciler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("higress-health-reconcile").factory());
        this.subscriberThread = Thread.ofPlatform().daemon().name("higress-health-subscriber").unstarted(this::listen);
    }

    /** Starts sharing {@code tracker}'s circuits through {@code store}: subscribes, reconciles, publishes. */
    public static SharedHealth start(RedisStore store, HealthTracker tracker, SharedHealthConfig config) {
        String origin = host() + "-" + UUID.randomUUID().toString().substring(0, 8);
        SharedHealth shared = new SharedHealth(store, tracker, config, origin);
        shared.subscriberThread.start();
        long every = config.reconcileInterval().toMillis();
        shared.reconciler.scheduleWithFixedDelay(shared::reconcile, every, every, TimeUnit.MILLISECONDS);
        tracker.share(shared);
        return shared;
    }

    /** This replica's name in what it publishes. */
    public String origin() {
        return origin;
    }

    /** Whether the subscription is live (readiness details, tests). */
    public boolean subscribed() {
        return listening;
    }

    /** The Redis key of a circuit. */
    public static String key(Scope scope, String id) {
        return HealthRecords.key(scope, id);
    }

    @Override
    public void opened(Scope scope, String id, Duration cooldown, String reason) {
        long until = System.nanoTime() + Math.max(1, cooldown.toMillis()) * 1_000_000;
        submit(new Transition(scope, id, true, until, reason));
    }

    @Override
    public void closed(Scope scope, String id) {
        submit(new Transition(scope, id, false, 0, ""));
    }

    private void submit(Transition transition) {
        if (closed) {
            return;
        }
        publisher.execute(() -> publish(transition));
    }

    /** Runs on the publisher thread: one retry on a fresh connection, else kept for when Redis is back. */
    private void publish(Transition transition) {
        try {
            try {
                write(transition);
            } catch (RedisUnavailableException e) {
                // the pool dropped its stale connections: one more try on a fresh one (Redis just came back)
                write(transition);
            }
            unpublished.remove(transition.key());
            recovered();
        } catch (RedisUnavailableException e) {
            unpublished.put(transition.key(), transition);
            unavailable(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Publishing a circuit change failed", e);
        }
    }

    private void write(Transition transition) {
        String key = transition.key();
        if (transition.open()) {
            long millis = (transition.untilNanos() - System.nanoTime()) / 1_000_000;
            if (millis <= 0) {
                return; // its cooldown ended while Redis was away: nothing left to share
            }
            store.eval(HealthRecords.OPEN, List.of(key), List.of(
                    HealthRecords.openValue(millis, origin, transition.reason()), Long.toString(millis), CHANNEL,
                    HealthRecords.message("open", transition.scope(), transition.id(), millis, origin,
                            transition.reason())));
        } else {
            store.eval(HealthRecords.CLOSE, List.of(key), List.of(HealthRecords.closedValue(origin),
                    Long.toString(config.closeMarkerTtl().toMillis()), CHANNEL,
                    HealthRecords.message("close", transition.scope(), transition.id(), 0, origin, "")));
        }
    }

    /** Runs on the publisher thread once Redis answers again: what could not be published, oldest first. */
    private void republish() {
        for (Transition transition : List.copyOf(unpublished.values())) {
            if (closed) {
                return;
            }
            publish(transition);
            if (!available.get()) {
                return;
            }
        }
    }

    /** Re-reads every known circuit's key; applies the opens and closes of other replicas this one missed. */
    void reconcile() {
        if (closed) {
            return;
        }
        List<Scope> scopes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        tracker.targetLabels().forEach(label -> add(scopes, ids, Scope.TARGET, label));
        tracker.keyIds().forEach(id -> add(scopes, ids, Scope.KEY, id));
        if (ids.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            keys.add(key(scopes.get(i), ids.get(i)));
        }
        try {
            List<?> values = (List<?>) store.eval(HealthRecords.READ, keys, List.of());
            for (int i = 0; i < keys.size(); i++) {
                apply(scopes.get(i), ids.get(i), HealthRecords.text(values.get(2 * i)), (Long) values.get(2 * i + 1));
            }
            recovered();
        } catch (RedisUnavailableException e) {
            unavailable(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Reconciling shared health failed", e);
        }
    }

    private void apply(Scope scope, String id, String value, long ttl) {
        if (value.isEmpty() || ttl <= 0) {
            return;
        }
        HealthRecords.Stored.parse(value).filter(stored -> !stored.origin().equals(origin)).ifPresent(stored -> {
            if (stored.closed()) {
                tracker.applyMissedRemoteClose(scope, id);
            } else {
                tracker.applyRemoteOpen(scope, id, Duration.ofMillis(ttl), stored.reason());
            }
        });
    }

    private static void add(List<Scope> scopes, List<String> ids, Scope scope, String id) {
        scopes.add(scope);
        ids.add(id);
    }

    /** Applies one message from the channel; own messages and malformed ones are ignored. */
    void apply(String message) {
        String[] parts = message.split(HealthRecords.SEPARATOR, 6);
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
            try {
                publisher.execute(this::republish);
            } catch (RejectedExecutionException e) {
                // closing
            }
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

    /**
     * One of this replica's circuit transitions.
     *
     * @param untilNanos when an open's cooldown ends, on {@link System#nanoTime()}
     */
    private record Transition(Scope scope, String id, boolean open, long untilNanos, String reason) {
        String key() {
            return SharedHealth.key(scope, id);
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
            } catch (RejectedExecutionException e) {
                // closing
            }
        }

        @Override
        public void onMessage(String channel, String message) {
            apply(message);
        }
    }
}
