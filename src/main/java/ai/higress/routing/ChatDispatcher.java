package ai.higress.routing;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import ai.higress.auth.Caller;
import ai.higress.config.LimitsConfig;
import ai.higress.config.TimeoutsConfig;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.observe.Exchange;
import ai.higress.observe.Outcome;
import ai.higress.provider.ChatResult;
import ai.higress.provider.ClientCodecs;
import ai.higress.provider.ProviderAdapter;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamRequest;
import ai.higress.schema.ChatRequest;
import ai.higress.stream.OpenedStream;
import ai.higress.stream.RelayResult;
import ai.higress.stream.StreamDeadlines;
import ai.higress.stream.StreamRelay;
import ai.higress.stream.StreamSink;
import ai.higress.upstream.UpstreamClient;
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
    private final LimitsConfig limits;
    private final TimeoutsConfig timeouts;

    public ChatDispatcher(RoutingTables tables, Failover failover, ProviderAdapters adapters, ClientCodecs codecs,
                          Watchdog watchdog, LimitsConfig limits, TimeoutsConfig timeouts) {
        this.tables = tables;
        this.failover = failover;
        this.adapters = adapters;
        this.codecs = codecs;
        this.relay = new StreamRelay(watchdog, limits.maxSseLineBytes());
        this.watchdog = watchdog;
        this.limits = limits;
        this.timeouts = timeouts;
    }

    /** A complete (non-streaming) answer, or an exception for the client. */
    public ChatResult complete(ChatRequest request, Caller caller, Exchange exchange) {
        return complete(request, caller, exchange, Optional.empty());
    }

    /** As {@link #complete(ChatRequest, Caller, Exchange)}, trying the healthy target {@code preferred} first. */
    public ChatResult complete(ChatRequest request, Caller caller, Exchange exchange, Optional<String> preferred) {
        RoutingTable table = tables.current();
        RoutePlan plan = prefer(plan(table, request, caller), preferred);
        exchange.model(plan.alias(), false);
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
        RoutePlan plan = prefer(plan(table, request, caller), preferred);
        exchange.model(plan.alias(), true);
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

    private static RoutePlan prefer(RoutePlan plan, Optional<String> preferred) {
        return preferred.map(plan::preferring).orElse(plan);
    }

    /** A key that may not use a model learns nothing about it: the answer is the same 404 as for no such model. */
    private static RoutePlan plan(RoutingTable table, ChatRequest request, Caller caller) {
        if (!caller.mayUse(request.model())) {
            throw ai.higress.error.GatewayException.modelNotFound(request.model());
        }
        return table.router().plan(request.model(), request.features());
    }

    /** The routing plan {@code model} would get now, without calling any upstream. */
    public RoutePlan explain(String model, ai.higress.schema.RequestFeatures features) {
        return tables.current().router().plan(model, features);
    }

    private ChatResult completeOnce(RoutingTable table, ChatRequest request, AttemptContext context, long deadline) {
        Target target = context.target();
        ProviderAdapter adapter = adapters.forTarget(target);
        UpstreamRequest upstream = adapter.toUpstream(request, target, context.requestId());
        TimeoutsConfig providerTimeouts = target.provider().timeouts();
        long attemptDeadline = Math.min(deadline, context.startNanos() + providerTimeouts.attempt().toNanos());
        try (UpstreamResponse response = clientFor(table, target).send(upstream,
                remaining(attemptDeadline, providerTimeouts.attempt()));
             Watchdog.Guard guard = watchdog.arm(response, attemptDeadline, Watchdog.Phase.TOTAL)) {
            context.responded(response.status(), response);
            if (!isSuccess(response.status())) {
                throw classify(adapter, target, response, guard);
            }
            byte[] body = readBody(response, guard, target, (int) limits.maxResponseBytes());
            // translated inside the attempt: an answer the client's dialect cannot carry fails over like any other
            return codecs.toClient(request, adapter.toResponse(request, body, target));
        }
    }

    private OpenedStream openStream(RoutingTable table, ChatRequest request, AttemptContext context, long deadline) {
        Target target = context.target();
        ProviderAdapter adapter = adapters.forTarget(target);
        TimeoutsConfig providerTimeouts = target.provider().timeouts();
        UpstreamRequest upstream = adapter.toUpstream(request, target, context.requestId());
        Duration firstRead = providerTimeouts.firstToken().compareTo(providerTimeouts.idle()) > 0
                ? providerTimeouts.firstToken() : providerTimeouts.idle();
        UpstreamResponse response = clientFor(table, target).send(upstream, remaining(deadline, firstRead));
        context.responded(response.status(), response);
        if (!isSuccess(response.status()) || !response.contentType().startsWith("text/event-stream")) {
            try (response; Watchdog.Guard guard = watchdog.arm(response, deadline, Watchdog.Phase.TOTAL)) {
                throw isSuccess(response.status()) ? notAStream(target, response.contentType())
                        : classify(adapter, target, response, guard);
            }
        }
        return relay.open(response, codecs.toClient(request, adapter.newStreamTranslator(request, target)),
                new StreamDeadlines(context.startNanos(), providerTimeouts.firstToken(), providerTimeouts.idle(),
                        deadline), target);
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    private UpstreamException classify(ProviderAdapter adapter, Target target, UpstreamResponse response,
                                       Watchdog.Guard guard) {
        byte[] body = readBody(response, guard, target, limits.maxErrorBodyBytes());
        if (body.length > limits.maxErrorBodyBytes()) {
            body = java.util.Arrays.copyOf(body, limits.maxErrorBodyBytes());
        }
        return adapter.classifyError(target, response.status(), response.headers(), body);
    }

    private static UpstreamException notAStream(Target target, String contentType) {
        return UpstreamException.transport(ErrorKind.PROTOCOL, "provider '" + target.providerId()
                + "' answered a streaming request with '" + contentType + "' instead of an event stream");
    }

    private static byte[] readBody(UpstreamResponse response, Watchdog.Guard guard, Target target, int maxBytes) {
        try {
            byte[] body = response.readBody(maxBytes);
            if (body.length > maxBytes && isSuccess(response.status())) {
                throw UpstreamException.transport(ErrorKind.PROTOCOL, "the answer from provider '"
                        + target.providerId() + "' is larger than limits.max-response-bytes (" + maxBytes + ")");
            }
            return body;
        } catch (IOException | RuntimeException e) {
            if (e instanceof UpstreamException upstream) {
                throw upstream;
            }
            if (guard.expired() || StreamRelay.timedOut(e)) {
                throw UpstreamException.transport(ErrorKind.TIMEOUT,
                        "provider '" + target.providerId() + "': " + guard.phase().description());
            }
            throw UpstreamException.connectionLost("the answer from provider '" + target.providerId() + "' broke off");
        }
    }

    private static UpstreamClient clientFor(RoutingTable table, Target target) {
        return table.clients().get(target.providerId());
    }

    private static Duration remaining(long deadlineNanos, Duration cap) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw UpstreamException.transport(ErrorKind.TIMEOUT, "the request deadline passed");
        }
        Duration remaining = Duration.ofNanos(left);
        return remaining.compareTo(cap) < 0 ? remaining : cap;
    }
}
