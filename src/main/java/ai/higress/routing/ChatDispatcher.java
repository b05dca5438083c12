package ai.higress.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.higress.auth.Caller;
import ai.higress.config.LimitsConfig;
import ai.higress.config.TimeoutsConfig;
import ai.higress.error.ErrorKind;
import ai.higress.error.GatewayException;
import ai.higress.error.UpstreamException;
import ai.higress.observe.Exchange;
import ai.higress.observe.Outcome;
import ai.higress.provider.ChatResult;
import ai.higress.provider.ClientCodecs;
import ai.higress.provider.ProviderAdapter;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamRequest;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.RequestFeatures;
import ai.higress.stream.OpenedStream;
import ai.higress.stream.RelayResult;
import ai.higress.stream.StreamDeadlines;
import ai.higress.stream.StreamRelay;
import ai.higress.stream.StreamSink;
import ai.higress.upstream.UpstreamResponse;
import ai.higress.upstream.Watchdog;

/**
 * Serves a chat request: plans the targets, runs the attempt loop, and performs each attempt through the target's
 * adapter and upstream client. A streaming attempt ends at its first event; only the winner is then relayed.
 */
public final class ChatDispatcher {
    private final RoutingTables tables;
    private final Failover failover;
    private final ProviderAdapters adapters;
    private final ClientCodecs codecs;
    private final StreamRelay relay;
    private final Watchdog watchdog;
    private final UpstreamCall calls;
    private final TimeoutsConfig timeouts;

    public ChatDispatcher(RoutingTables tables, Failover failover, ProviderAdapters adapters, ClientCodecs codecs,
                          Watchdog watchdog, LimitsConfig limits, TimeoutsConfig timeouts) {
        this.tables = tables;
        this.failover = failover;
        this.adapters = adapters;
        this.codecs = codecs;
        this.relay = new StreamRelay(watchdog, limits.maxSseLineBytes());
        this.watchdog = watchdog;
        this.calls = new UpstreamCall(watchdog, limits);
        this.timeouts = timeouts;
    }

    /** A complete (non-streaming) answer, or an exception for the client. */
    public ChatResult complete(ChatRequest request, Caller caller, Exchange exchange) {
        return complete(request, caller, exchange, Optional.empty());
    }

    /** As {@link #complete(ChatRequest, Caller, Exchange)}, trying the healthy target {@code preferred} first. */
    public ChatResult complete(ChatRequest request, Caller caller, Exchange exchange, Optional<String> preferred) {
        RoutingTable table = tables.current();
        RoutePlan plan = prefer(plan(table, request.model(), request.features(), caller), preferred);
        exchange.model(plan.alias(), false);
        TargetFit.requireServable(plan, request.features(), request.clientProtocol());
        plan = carriable(plan, request);
        long deadline = exchange.startNanos() + timeouts.request().toNanos();
        Won<ChatResult> won = failover.run(plan, deadline, exchange,
                context -> completeOnce(table, request, context, deadline), result -> { });
        won.finish(Optional.empty());
        Target target = won.context().target();
        exchange.servedBy(target.providerId(), target.upstreamModel());
        won.value().usage().ifPresent(exchange::usage);
        return won.value();
    }

    /**
     * Streams the answer to {@code sink}. Failures before the first event are retried on the next target and, when
     * all fail, thrown for an ordinary error response; after it, the relay ends the stream with an error event.
     */
    public RelayResult stream(ChatRequest request, Caller caller, Exchange exchange, StreamSink sink) {
        return stream(request, caller, exchange, sink, Optional.empty());
    }

    /** As {@link #stream(ChatRequest, Caller, Exchange, StreamSink)}, trying the healthy {@code preferred} first. */
    public RelayResult stream(ChatRequest request, Caller caller, Exchange exchange, StreamSink sink,
                              Optional<String> preferred) {
        RoutingTable table = tables.current();
        RoutePlan plan = prefer(plan(table, request.model(), request.features(), caller), preferred);
        exchange.model(plan.alias(), true);
        TargetFit.requireServable(plan, request.features(), request.clientProtocol());
        plan = carriable(plan, request);
        long deadline = exchange.startNanos() + timeouts.stream().toNanos();
        Won<OpenedStream> won = failover.run(plan, deadline, exchange,
                context -> openStream(table, request, context, deadline), OpenedStream::close);
        AttemptContext context = won.context();
        exchange.servedBy(context.target().providerId(), context.target().upstreamModel());
        RelayResult result;
        try {
            result = won.value().relay((target, number) -> {
                exchange.firstToken(System.nanoTime() - exchange.startNanos());
                return sink.commit(target, number);
            }, context.number());
        } finally {
            // the stream's place under the concurrency caps ends with its relay, however the relay ended
            won.releaseLease();
        }
        won.finish(result.failure().filter(failure -> result.outcome() == Outcome.STREAM_INTERRUPTED));
        result.usage().ifPresent(exchange::usage);
        if (result.outcome() != Outcome.SUCCESS) {
            exchange.outcome(result.outcome(), result.failure().flatMap(UpstreamException::code).orElse(""));
        }
        return result;
    }

    /**
     * Drops the targets whose protocol cannot carry the request (an adapter refuses a parameter it has no place for,
     * such as {@code logprobs} towards Anthropic), so a logical model that mixes protocols answers the same whichever
     * target the strategy would have picked; when every target refuses, the first refusal is the answer. A plan of
     * one protocol is left alone: its single attempt gives the same refusal, without translating twice.
     */
    private RoutePlan carriable(RoutePlan plan, ChatRequest request) {
        List<Target> all = new ArrayList<>(plan.targets());
        all.addAll(plan.lastResort());
        if (all.stream().map(target -> target.provider().type()).distinct().count() < 2) {
            return plan;
        }
        Map<String, UpstreamException> refused = new LinkedHashMap<>();
        for (Target target : all) {
            if (refused.containsKey(target.label())) {
                continue;
            }
            try {
                adapters.forTarget(target).toUpstream(request, target, "plan");
            } catch (UpstreamException refusal) {
                refused.put(target.label(), refusal);
            }
        }
        if (refused.isEmpty()) {
            return plan;
        }
        RoutePlan kept = plan.keeping(target -> !refused.containsKey(target.label()));
        if (kept.targets().isEmpty() && kept.lastResort().isEmpty()) {
            throw refused.values().iterator().next();
        }
        return kept;
    }

    private static RoutePlan prefer(RoutePlan plan, Optional<String> preferred) {
        return preferred.map(plan::preferring).orElse(plan);
    }

    /** A key that may not use a model learns nothing about it: the answer is the same 404 as for no such model. */
    static RoutePlan plan(RoutingTable table, String model, RequestFeatures features, Caller caller) {
        if (!caller.mayUse(model)) {
            throw GatewayException.modelNotFound(model);
        }
        return table.router().plan(model, features);
    }

    /** The routing plan {@code model} would get now, without calling any upstream. */
    public RoutePlan explain(String model, RequestFeatures features) {
        return tables.current().router().plan(model, features);
    }

    private ChatResult completeOnce(RoutingTable table, ChatRequest request, AttemptContext context, long deadline) {
        Target target = context.target();
        ProviderAdapter adapter = adapters.forTarget(target);
        UpstreamRequest upstream = adapter.toUpstream(request, target, context.requestId());
        byte[] body = calls.complete(table, upstream, context, deadline, adapter::classifyError);
        // translated inside the attempt: an answer the client's dialect cannot carry fails over like any other
        return codecs.toClient(request, adapter.toResponse(request, body, target));
    }

    private OpenedStream openStream(RoutingTable table, ChatRequest request, AttemptContext context, long deadline) {
        Target target = context.target();
        ProviderAdapter adapter = adapters.forTarget(target);
        TimeoutsConfig providerTimeouts = target.provider().timeouts();
        UpstreamRequest upstream = adapter.toUpstream(request, target, context.requestId());
        Duration firstRead = providerTimeouts.firstToken().compareTo(providerTimeouts.idle()) > 0
                ? providerTimeouts.firstToken() : providerTimeouts.idle();
        UpstreamResponse response = UpstreamCall.clientFor(table, target).send(upstream,
                UpstreamCall.remaining(deadline, firstRead));
        context.responded(response.status(), response);
        if (!UpstreamCall.isSuccess(response.status()) || !response.contentType().startsWith("text/event-stream")) {
            try (response; Watchdog.Guard guard = watchdog.arm(response, deadline, Watchdog.Phase.TOTAL)) {
                throw UpstreamCall.isSuccess(response.status()) ? notAStream(target, response.contentType())
                        : calls.classify(adapter::classifyError, target, response, guard);
            }
        }
        return relay.open(response, codecs.toClient(request, adapter.newStreamTranslator(request, target)),
                new StreamDeadlines(context.startNanos(), providerTimeouts.firstToken(), providerTimeouts.idle(),
                        deadline), target);
    }

    private static UpstreamException notAStream(Target target, String contentType) {
        return UpstreamException.transport(ErrorKind.PROTOCOL, "provider '" + target.providerId()
                + "' answered a streaming request with '" + contentType + "' instead of an event stream");
    }
}
