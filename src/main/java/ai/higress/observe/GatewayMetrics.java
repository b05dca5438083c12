package ai.higress.observe;

import java.time.Duration;
import java.util.List;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * The gateway's meters, exposed in Prometheus format at {@code /metrics}. Tags are low-cardinality by construction:
 * route, model alias, provider id, outcome; never key names, request ids or raw client strings.
 */
public final class GatewayMetrics {
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};

    private final MeterRegistry registry;
    private final java.util.Map<String, Object> meters = new java.util.concurrent.ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void request(Exchange exchange, Outcome outcome, long durationNanos) {
        String model = tagValue(exchange.modelTag());
        String provider = tagValue(exchange.providerTag());
        counter("higress.requests", "Client requests by route, model alias, provider and outcome",
                "route", exchange.route(), "model", model, "provider", provider, "outcome", outcome.tag()).increment();
        timer("higress.request.duration", "Client request duration, until the last byte was written",
                "route", exchange.route(), "model", model, "provider", provider, "outcome", outcome.tag())
                .record(Duration.ofNanos(durationNanos));
        if (exchange.firstTokenNanos() > 0) {
            timer("higress.time.to.first.token",
                    "Time from request arrival to the first streamed token written to the client",
                    "model", model, "provider", provider).record(Duration.ofNanos(exchange.firstTokenNanos()));
        }
        exchange.usage().ifPresent(usage -> {
            tokens(model, provider, "prompt", usage.promptTokens());
            tokens(model, provider, "completion", usage.completionTokens());
        });
    }

    void attempt(Exchange exchange, AttemptRecord attempt) {
        String target = attempt.provider() + "/" + attempt.upstreamModel();
        counter("higress.upstream.attempts",
                "Upstream attempts by provider, model alias and outcome (success, error kind or cancelled)",
                "provider", attempt.provider(), "model", tagValue(exchange.modelTag()), "outcome", attempt.outcomeTag())
                .increment();
        timer("higress.upstream.duration", "Upstream attempt duration per target",
                "target", target, "outcome", attempt.outcomeTag()).record(Duration.ofNanos(attempt.durationNanos()));
        if (attempt.firstTokenNanos() > 0) {
            timer("higress.upstream.first.token", "Upstream time to first token per target (streams)",
                    "target", target).record(Duration.ofNanos(attempt.firstTokenNanos()));
        }
    }

    /**
     * A meter by name and tag values, created once: the registry's own lookup builds a meter id per call, which is
     * measurable per request; this lookup builds one short string.
     */
    private Counter counter(String name, String description, String... tags) {
        return (Counter) meters.computeIfAbsent(key(name, tags), key -> registry.getOrCreate(
                Counter.builder(name).tags(tagList(tags)).description(description)));
    }

    private Timer timer(String name, String description, String... tags) {
        return (Timer) meters.computeIfAbsent(key(name, tags), key -> registry.getOrCreate(
                Timer.builder(name).tags(tagList(tags)).buckets(LATENCY_BUCKETS).description(description)));
    }

    private static String key(String name, String... tags) {
        StringBuilder key = new StringBuilder(name);
        for (String tag : tags) {
            key.append('\u0000').append(tag);
        }
        return key.toString();
    }

    private static List<Tag> tagList(String... tags) {
        List<Tag> list = new java.util.ArrayList<>(tags.length / 2);
        for (int i = 0; i < tags.length; i += 2) {
            list.add(Tag.create(tags[i], tags[i + 1]));
        }
        return list;
    }

    /** A retryable failure moved a request to another attempt. */
    public void failover(String model) {
        routingCounter("higress.failovers", model, "Attempts that failed over to another attempt");
    }

    /** A hedged attempt was started. */
    public void hedge(String model) {
        routingCounter("higress.hedges", model, "Hedged attempts started");
    }

    /** A retry was refused by the retry budget. */
    public void retryDenied(String model) {
        routingCounter("higress.retries.denied", model, "Retries refused because the retry budget was spent");
    }

    /** Publishes a target's circuit state: 0 closed, 1 half-open, 2 open. */
    public void circuitState(String target, java.util.function.IntSupplier state) {
        // a registry outlives a gateway (tests run several in one JVM): replace any gauge of an earlier instance
        registry.remove("higress.circuit.state", List.of(Tag.create("target", target)));
        registry.getOrCreate(io.helidon.metrics.api.Gauge.builder("higress.circuit.state",
                        () -> (double) state.getAsInt())
                .tags(List.of(Tag.create("target", target)))
                .description("Circuit state per target: 0 closed, 1 half-open, 2 open"));
    }

    /** Routing decisions as metrics. */
    public ai.higress.routing.RoutingListener routingListener() {
        GatewayMetrics metrics = this;
        return new ai.higress.routing.RoutingListener() {
            @Override
            public void failover(String model) {
                metrics.failover(model);
            }

            @Override
            public void hedge(String model) {
                metrics.hedge(model);
            }

            @Override
            public void retryDenied(String model) {
                metrics.retryDenied(model);
            }

            @Override
            public void targetTracked(String label, ai.higress.routing.CircuitBreaker breaker,
                                      ai.higress.routing.Ticker ticker) {
                metrics.circuitState(label, () -> breaker.state(ticker.nanos()).gaugeValue());
            }
        };
    }

    /** The usage recorder's counters: records written, dropped (buffer full) and failed batch writes. */
    public ai.higress.usage.UsageListener usageListener() {
        Counter written = registry.getOrCreate(Counter.builder("higress.usage.records.written")
                .description("Usage records written to the request log"));
        Counter dropped = registry.getOrCreate(Counter.builder("higress.usage.records.dropped")
                .description("Usage records dropped because the buffer was full (database down or too slow)"));
        Counter failed = registry.getOrCreate(Counter.builder("higress.usage.write.failures")
                .description("Batches of usage records that failed to write and were retried"));
        return new ai.higress.usage.UsageListener() {
            @Override
            public void written(int count) {
                written.increment(count);
            }

            @Override
            public void dropped(int count) {
                dropped.increment(count);
            }

            @Override
            public void writeFailed(Exception failure) {
                failed.increment();
            }
        };
    }

    /** Rate-limit checks by result, and refusals by the limit that refused. */
    public ai.higress.ratelimit.RateLimitListener rateLimitListener() {
        GatewayMetrics metrics = this;
        return new ai.higress.ratelimit.RateLimitListener() {
            @Override
            public void checked(String result) {
                metrics.counter("higress.ratelimit.checks", "Rate-limit admission checks by result (allowed, refused, "
                        + "unavailable_allowed: fail open, unavailable_refused: fail closed)", "result", result)
                        .increment();
            }

            @Override
            public void refused(ai.higress.ratelimit.LimitKind limit) {
                metrics.counter("higress.ratelimit.refusals", "Requests refused with 429 by the limit that refused",
                        "limit", limit.tag()).increment();
            }
        };
    }

    /** Model-list fetches that failed by provider, and catalog cache failures by operation. */
    public ai.higress.catalog.CatalogListener catalogListener() {
        GatewayMetrics metrics = this;
        return new ai.higress.catalog.CatalogListener() {
            @Override
            public void fetchFailed(String providerId) {
                metrics.counter("higress.catalog.fetch.failures", "Provider model-list fetches that failed (the last "
                        + "good list was kept)", "provider", providerId).increment();
            }

            @Override
            public void storeError(String operation) {
                metrics.counter("higress.catalog.store.errors", "Model catalog cache (Redis) calls that failed",
                        "operation", operation).increment();
            }
        };
    }

    /** Session snippets written, and session store failures by operation (the request was served anyway). */
    public ai.higress.responses.ResponseStoreListener responseStoreListener() {
        GatewayMetrics metrics = this;
        return new ai.higress.responses.ResponseStoreListener() {
            @Override
            public void stored() {
                metrics.counter("higress.responses.stored", "Responses API answers stored").increment();
            }

            @Override
            public void tooLarge() {
                metrics.counter("higress.responses.too.large", "Responses API answers served but not stored, "
                        + "larger than responses.max-stored-bytes").increment();
            }

            @Override
            public void storeError(String operation) {
                metrics.counter("higress.responses.store.errors", "Response store calls that failed",
                        "operation", operation).increment();
            }
        };
    }

    public ai.higress.session.SessionListener sessionListener() {
        GatewayMetrics metrics = this;
        return new ai.higress.session.SessionListener() {
            @Override
            public void written() {
                metrics.counter("higress.session.writes", "Session snippets written").increment();
            }

            @Override
            public void storeError(String operation) {
                metrics.counter("higress.session.store.errors", "Session store calls that failed (request served "
                        + "without the session)", "operation", operation).increment();
            }
        };
    }

    /** Redis call latency and errors by operation (script name or ping). */
    public ai.higress.redis.RedisListener redisListener() {
        GatewayMetrics metrics = this;
        return new ai.higress.redis.RedisListener() {
            @Override
            public void call(String operation, long nanos) {
                metrics.timer("higress.redis.duration", "Redis call latency by operation", "operation", operation)
                        .record(Duration.ofNanos(nanos));
            }

            @Override
            public void error(String operation) {
                metrics.counter("higress.redis.errors", "Redis calls that failed (unreachable or timed out)",
                        "operation", operation).increment();
            }
        };
    }

    /** Attempts refused by a concurrency cap, and caps counted in process while Redis was unreachable. */
    public ai.higress.concurrency.ConcurrencyListener concurrencyListener() {
        GatewayMetrics metrics = this;
        return new ai.higress.concurrency.ConcurrencyListener() {
            @Override
            public void refused(String provider, ai.higress.concurrency.Cap cap) {
                metrics.counter("higress.concurrency.refusals", "Attempts not made because a concurrency cap was "
                        + "full (cap provider or key) or could not be counted (unavailable: Redis down, fail-closed)",
                        // not "scope": Helidon tags every meter with its own scope
                        "provider", provider, "cap", cap.tag()).increment();
            }

            @Override
            public void countedLocally(String provider) {
                metrics.counter("higress.concurrency.local.fallbacks", "Cap checks counted in this process because "
                        + "Redis was unreachable (failure policy fail-open)", "provider", provider).increment();
            }
        };
    }

    /** A gauge read on every scrape, e.g. whether the shared-health subscription is live (1) or not (0). */
    public void gauge(String name, String description, java.util.function.DoubleSupplier value) {
        // a registry outlives a gateway (tests run several in one JVM): replace any gauge of an earlier instance
        registry.remove(name, List.of());
        registry.getOrCreate(io.helidon.metrics.api.Gauge.builder(name, value::getAsDouble).description(description));
    }

    private void routingCounter(String name, String model, String description) {
        counter(name, description, "model", tagValue(model)).increment();
    }

    private void tokens(String model, String provider, String kind, long count) {
        if (count > 0) {
            counter("higress.tokens", "Tokens reported by upstreams", "model", model, "provider", provider,
                    "kind", kind).increment(count);
        }
    }

    private static String tagValue(String value) {
        return value.isEmpty() ? "none" : value;
    }
}
