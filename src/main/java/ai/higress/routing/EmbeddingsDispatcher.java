package ai.higress.routing;

import java.util.Optional;

import ai.higress.auth.Caller;
import ai.higress.config.LimitsConfig;
import ai.higress.config.TimeoutsConfig;
import ai.higress.observe.Exchange;
import ai.higress.provider.EmbeddingsAdapter;
import ai.higress.provider.EmbeddingsResult;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamRequest;
import ai.higress.schema.EmbeddingsRequest;
import ai.higress.upstream.Watchdog;

/**
 * Serves an embeddings request the way chat is served: the same router (only embedding models are planned), the same
 * attempt loop with its health tracking, retry budget and deadline ({@code timeouts.request}), each attempt through
 * the target's embeddings adapter and upstream client.
 */
public final class EmbeddingsDispatcher {
    private final RoutingTables tables;
    private final Failover failover;
    private final EmbeddingsAdapters adapters;
    private final UpstreamCall calls;
    private final TimeoutsConfig timeouts;

    public EmbeddingsDispatcher(RoutingTables tables, Failover failover, EmbeddingsAdapters adapters,
                                Watchdog watchdog, LimitsConfig limits, TimeoutsConfig timeouts) {
        this.tables = tables;
        this.failover = failover;
        this.adapters = adapters;
        this.calls = new UpstreamCall(watchdog, limits);
        this.timeouts = timeouts;
    }

    /** The embeddings in OpenAI's format, or an exception for the client. */
    public EmbeddingsResult embed(EmbeddingsRequest request, Caller caller, Exchange exchange) {
        RoutingTable table = tables.current();
        RoutePlan plan = ChatDispatcher.plan(table, request.model(), request.features(), caller);
        exchange.model(plan.alias(), false);
        TargetFit.requireServable(plan, request.features());
        long deadline = exchange.startNanos() + timeouts.request().toNanos();
        Won<EmbeddingsResult> won = failover.run(plan, deadline, exchange,
                context -> embedOnce(table, request, context, deadline), result -> { });
        won.finish(Optional.empty());
        Target target = won.context().target();
        exchange.servedBy(target.providerId(), target.upstreamModel());
        exchange.usage(won.value().usage());
        return won.value();
    }

    private EmbeddingsResult embedOnce(RoutingTable table, EmbeddingsRequest request, AttemptContext context,
                                       long deadline) {
        Target target = context.target();
        EmbeddingsAdapter adapter = adapters.forTarget(target);
        UpstreamRequest upstream = adapter.toUpstream(request, target, context.requestId());
        byte[] body = calls.complete(table, upstream, context, deadline, adapter::classifyError);
        return adapter.toResponse(request, body, target);
    }
}
