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

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void request(Exchange exchange, Outcome outcome, long durationNanos) {
        List<Tag> tags = List.of(Tag.create("route", exchange.route()), Tag.create("model", tagValue(exchange.modelTag())),
                Tag.create("provider", tagValue(exchange.providerTag())), Tag.create("outcome", outcome.tag()));
        registry.getOrCreate(Counter.builder("higress.requests").tags(tags)
                .description("Client requests by route, model alias, provider and outcome")).increment();
        registry.getOrCreate(Timer.builder("higress.request.duration").tags(tags).buckets(LATENCY_BUCKETS)
                .description("Client request duration, until the last byte was written"))
                .record(Duration.ofNanos(durationNanos));
        if (exchange.firstTokenNanos() > 0) {
            registry.getOrCreate(Timer.builder("higress.time.to.first.token")
                    .tags(List.of(Tag.create("model", tagValue(exchange.modelTag())),
                            Tag.create("provider", tagValue(exchange.providerTag()))))
                    .buckets(LATENCY_BUCKETS)
                    .description("Time from request arrival to the first streamed token written to the client"))
                    .record(Duration.ofNanos(exchange.firstTokenNanos()));
        }
        exchange.usage().ifPresent(usage -> {
            tokens(exchange, "prompt", usage.promptTokens());
            tokens(exchange, "completion", usage.completionTokens());
        });
    }

    void attempt(Exchange exchange, AttemptRecord attempt) {
        List<Tag> tags = List.of(Tag.create("provider", attempt.provider()),
                Tag.create("model", tagValue(exchange.modelTag())), Tag.create("outcome", attempt.outcomeTag()));
        registry.getOrCreate(Counter.builder("higress.upstream.attempts").tags(tags)
                .description("Upstream attempts by provider, model alias and outcome (success, error kind or "
                        + "cancelled)")).increment();
        registry.getOrCreate(Timer.builder("higress.upstream.duration")
                .tags(List.of(Tag.create("target", attempt.provider() + "/" + attempt.upstreamModel()),
                        Tag.create("outcome", attempt.outcomeTag())))
                .buckets(LATENCY_BUCKETS)
                .description("Upstream attempt duration per target")).record(Duration.ofNanos(attempt.durationNanos()));
        if (attempt.firstTokenNanos() > 0) {
            registry.getOrCreate(Timer.builder("higress.upstream.first.token")
                    .tags(List.of(Tag.create("target", attempt.provider() + "/" + attempt.upstreamModel())))
                    .buckets(LATENCY_BUCKETS)
                    .description("Upstream time to first token per target (streams)"))
                    .record(Duration.ofNanos(attempt.firstTokenNanos()));
        }
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

    private void routingCounter(String name, String model, String description) {
        registry.getOrCreate(Counter.builder(name).tags(List.of(Tag.create("model", tagValue(model))))
                .description(description)).increment();
    }

    private void tokens(Exchange exchange, String kind, long count) {
        if (count > 0) {
            registry.getOrCreate(Counter.builder("higress.tokens")
                    .tags(List.of(Tag.create("model", tagValue(exchange.modelTag())),
                            Tag.create("provider", tagValue(exchange.providerTag())), Tag.create("kind", kind)))
                    .description("Tokens reported by upstreams")).increment(count);
        }
    }

    private static String tagValue(String value) {
        return value.isEmpty() ? "none" : value;
    }
}
