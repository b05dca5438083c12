package ai.higress;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

import ai.higress.catalog.ModelCatalog;
import ai.higress.concurrency.ConcurrencyCaps;
import ai.higress.config.GatewayConfig;
import ai.higress.observe.GatewayMetrics;
import ai.higress.ratelimit.LocalRateLimiter;
import ai.higress.ratelimit.RateLimiter;
import ai.higress.ratelimit.RateLimits;
import ai.higress.ratelimit.RedisRateLimiter;
import ai.higress.redis.RedisStore;
import ai.higress.redis.SharedHealth;
import ai.higress.responses.LocalResponseStore;
import ai.higress.responses.RedisResponseStore;
import ai.higress.responses.ResponseStore;
import ai.higress.responses.StoredResponses;
import ai.higress.routing.HealthTracker;
import ai.higress.routing.RoutingTable;
import ai.higress.session.LocalSessionStore;
import ai.higress.session.RedisSessionStore;
import ai.higress.session.SessionStore;
import ai.higress.session.Sessions;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.observe.health.HealthObserverConfig;

/**
 * The state every replica should see alike: in Redis when it is configured, else in this process. Rate limits,
 * concurrency caps, sessions, stored responses, shared circuit health and the model catalog's cache are built here
 * so that {@link Gateway} only wires them.
 *
 * <p>The catalog is built here but started and stopped by the gateway: its refresher reads the routing tables and
 * calls upstreams, so it must start after the control plane has applied the tables and stop before they close.
 */
final class SharedState implements AutoCloseable {
    private final boolean failsClosed;
    private final Optional<RedisStore> redis;
    private final ConcurrencyCaps caps;
    private final ModelCatalog catalog;
    private final Optional<SharedHealth> sharedHealth;
    private final RateLimits rateLimits;
    private final Sessions sessions;
    private final StoredResponses responses;

    private SharedState(GatewayConfig config, Optional<RedisStore> redis, ConcurrencyCaps caps, ModelCatalog catalog,
                        Optional<SharedHealth> sharedHealth, GatewayMetrics metrics, Clock clock) {
        this.failsClosed = config.redis().anyFailsClosed();
        this.redis = redis;
        this.caps = caps;
        this.catalog = catalog;
        this.sharedHealth = sharedHealth;
        this.rateLimits = rateLimits(config, redis, metrics, clock);
        this.sessions = sessions(config, redis, metrics, clock);
        this.responses = storedResponses(config, redis, metrics, clock);
    }

    /**
     * Connects to Redis when it is configured and builds the state over it (or over this process). Starts the
     * shared-health subscription; does not start the catalog.
     */
    static SharedState create(GatewayConfig config, GatewayMetrics metrics, HealthTracker health,
                              Supplier<RoutingTable> routes, Clock clock) {
        Optional<RedisStore> redis = config.redis().enabled()
                ? Optional.of(RedisStore.create(config.redis(), metrics.redisListener())) : Optional.empty();
        ConcurrencyCaps caps = ConcurrencyCaps.create(redis, config.routing().concurrency(),
                config.redis().concurrencyPolicy(), metrics.concurrencyListener());
        ModelCatalog catalog = new ModelCatalog(config.catalog(), routes, redis, metrics.catalogListener(), clock);
        Optional<SharedHealth> shared = sharedHealth(config, redis, health, metrics);
        return new SharedState(config, redis, caps, catalog, shared, metrics, clock);
    }

    /** Health shared with other replicas through Redis, when Redis is configured and sharing is enabled. */
    private static Optional<SharedHealth> sharedHealth(GatewayConfig config, Optional<RedisStore> redis,
                                                       HealthTracker health, GatewayMetrics metrics) {
        Optional<SharedHealth> shared = redis.filter(store -> config.routing().sharedHealth().enabled())
                .map(store -> SharedHealth.start(store, health, config.routing().sharedHealth()));
        shared.ifPresent(live -> metrics.gauge("higress.shared.health.subscribed", "Whether this replica's "
                + "shared-health subscription to Redis is live (1) or down (0)", () -> live.subscribed() ? 1 : 0));
        return shared;
    }

    private static RateLimits rateLimits(GatewayConfig config, Optional<RedisStore> redis, GatewayMetrics metrics,
                                         Clock clock) {
        RateLimiter limiter = redis.<RateLimiter>map(RedisRateLimiter::new)
                .orElseGet(() -> new LocalRateLimiter(clock::millis));
        return new RateLimits(limiter, config.redis().requestsPolicy(), config.redis().tokensPolicy(),
                config.rateLimits(), metrics.rateLimitListener(), System::nanoTime);
    }

    private static Sessions sessions(GatewayConfig config, Optional<RedisStore> redis, GatewayMetrics metrics,
                                     Clock clock) {
        SessionStore store = redis.<SessionStore>map(shared -> new RedisSessionStore(shared,
                        config.sessions().maxSessions()))
                .orElseGet(() -> new LocalSessionStore(config.sessions().maxSessions(), clock::millis));
        return new Sessions(config.sessions(), store, metrics.sessionListener(), clock::instant);
    }

    private static StoredResponses storedResponses(GatewayConfig config, Optional<RedisStore> redis,
                                                   GatewayMetrics metrics, Clock clock) {
        ResponseStore store = redis.<ResponseStore>map(RedisResponseStore::new)
                .orElseGet(() -> new LocalResponseStore(config.responses().maxLocalBytes(), clock::millis));
        return new StoredResponses(config.responses(), store, metrics.responseStoreListener());
    }

    /** Adds Redis's readiness check, when Redis is configured. */
    void addReadinessCheck(HealthObserverConfig.Builder health) {
        // with every limit failing open the gateway serves without Redis: report the state, stay ready
        redis.ifPresent(store -> health.addCheck(() -> {
            boolean up = store.ping();
            HealthCheckResponse.Builder check = HealthCheckResponse.builder().status(up || !failsClosed)
                    .detail("state", up ? "available" : "unavailable")
                    .detail("mode", store.mode().name().toLowerCase())
                    .detail("url", store.description());
            sharedHealth.ifPresent(shared -> check.detail("health_subscription", shared.subscribed() ? "live" : "down"));
            return check.build();
        }, HealthCheckType.READINESS, "redis"));
    }

    ConcurrencyCaps caps() {
        return caps;
    }

    ModelCatalog catalog() {
        return catalog;
    }

    RateLimits rateLimits() {
        return rateLimits;
    }

    Sessions sessions() {
        return sessions;
    }

    StoredResponses responses() {
        return responses;
    }

    /** Stops the health subscription and the caps' lease renewal, then disconnects from Redis; not the catalog. */
    @Override
    public void close() {
        sharedHealth.ifPresent(SharedHealth::close);
        caps.close();
        redis.ifPresent(RedisStore::close);
    }
}
