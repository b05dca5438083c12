package ai.higress.routing;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import ai.higress.config.LimitsConfig;
import ai.higress.config.TimeoutsConfig;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.observe.AttemptRecord;
import ai.higress.observe.Exchange;
import ai.higress.observe.Outcome;
import ai.higress.provider.ChatResult;
import ai.higress.provider.ProviderAdapter;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamRequest;
import ai.higress.schema.ChatRequest;
import ai.higress.stream.RelayResult;
import ai.higress.stream.StreamDeadlines;
import ai.higress.stream.StreamRelay;
import ai.higress.stream.StreamSink;
import ai.higress.upstream.UpstreamClient;
import ai.higress.upstream.UpstreamResponse;
import ai.higress.upstream.Watchdog;

/**
 * Serves a chat request: plans the targets, then runs each attempt through the target's adapter and upstream client
 * inside the failover loop, recording every attempt on the exchange.
 */
public final class ChatDispatcher {
    private final Router router;
    private final Failover failover;
    private final Map<String, UpstreamClient> clients;
    private final ProviderAdapters adapters;
    private final StreamRelay relay;
    private final Watchdog watchdog;
    private final LimitsConfig limits;
    private final TimeoutsConfig timeouts;

    public ChatDispatcher(Router router, Map<String, UpstreamClient> clients, ProviderAdapters adapters,
                          Watchdog watchdog, LimitsConfig limits, TimeoutsConfig timeouts) {
        this.router = router;
        this.failover = new Failover(limits.maxAttempts());
        this.clients = Map.copyOf(clients);
        this.adapters = adapters;
        this.relay = new StreamRelay(watchdog, limits.maxSseLineBytes());
        this.watchdog = watchdog;
        this.limits = limits;
        this.timeouts = timeouts;
    }

    /** A complete (non-streaming) answer, or an exception for the client. */
    public ChatResult complete(ChatRequest request, Exchange exchange) {
        RoutePlan plan = router.plan(request.model());
        exchange.model(plan.alias(), false);
        long deadline = exchange.startNanos() + timeouts.request().toNanos();
        return failover.run(plan, deadline, (target, attempt) -> completeOnce(request, target, exchange, deadline));
    }

    /**
     * Streams the answer to {@code sink}. Failures before the first event are retried on the next target and, when
     * all fail, thrown for an ordinary error response; after it, the relay ends the stream with an error event.
     */
    public RelayResult stream(ChatRequest request, Exchange exchange, StreamSink sink) {
        RoutePlan plan = router.plan(request.model());
        exchange.model(plan.alias(), true);
        long deadline = exchange.startNanos() + timeouts.stream().toNanos();
        RelayResult result = failover.run(plan, deadline,
                (target, attempt) -> streamOnce(request, target, attempt, exchange, sink, deadline));
        result.usage().ifPresent(exchange::usage);
        if (result.outcome() != Outcome.SUCCESS) {
            exchange.outcome(result.outcome(), result.failure().flatMap(UpstreamException::code).orElse(""));
        }
        return result;
    }

    private ChatResult completeOnce(ChatRequest request, Target target, Exchange exchange, long deadline) {
        ProviderAdapter adapter = adapters.forTarget(target);
        Exchange.AttemptSpan span = exchange.startAttempt();
        long start = System.nanoTime();
        int status = 0;
        try {
            UpstreamRequest upstream = adapter.toUpstream(request, target, exchange.requestId());
            Duration readTimeout = remaining(deadline, target.provider().timeouts().request());
            try (UpstreamResponse response = clientFor(target).send(upstream, readTimeout);
                 Watchdog.Guard guard = watchdog.arm(response, deadline, Watchdog.Phase.TOTAL)) {
                status = response.status();
                if (status < 200 || status >= 300) {
                    throw classify(adapter, target, response, guard);
                }
                byte[] body = readBody(response, guard, target, (int) limits.maxResponseBytes());
                ChatResult result = adapter.toResponse(request, body, target);
                exchange.attempt(span, new AttemptRecord(target.providerId(), target.upstreamModel(), status,
                        Optional.empty(), System.nanoTime() - start, 0));
                exchange.servedBy(target.providerId(), target.upstreamModel());
                result.usage().ifPresent(exchange::usage);
                return result;
            }
        } catch (UpstreamException failure) {
            exchange.attempt(span, new AttemptRecord(target.providerId(), target.upstreamModel(), status,
                    Optional.of(failure.kind()), System.nanoTime() - start, 0));
            throw failure;
        }
    }

    private RelayResult streamOnce(ChatRequest request, Target target, int attempt, Exchange exchange,
                                   StreamSink sink, long deadline) {
        ProviderAdapter adapter = adapters.forTarget(target);
        Exchange.AttemptSpan span = exchange.startAttempt();
        long start = System.nanoTime();
        int status = 0;
        TimeoutsConfig providerTimeouts = target.provider().timeouts();
        try {
            UpstreamRequest upstream = adapter.toUpstream(request, target, exchange.requestId());
            Duration firstRead = providerTimeouts.firstToken().compareTo(providerTimeouts.idle()) > 0
                    ? providerTimeouts.firstToken() : providerTimeouts.idle();
            try (UpstreamResponse response = clientFor(target).send(upstream, remaining(deadline, firstRead))) {
                status = response.status();
                if (status < 200 || status >= 300 || !response.contentType().startsWith("text/event-stream")) {
                    try (Watchdog.Guard guard = watchdog.arm(response, deadline, Watchdog.Phase.TOTAL)) {
                        throw status >= 200 && status < 300
                                ? notAStream(target, response.contentType()) : classify(adapter, target, response, guard);
                    }
                }
                StreamSink attemptSink = (served, number) -> {
                    exchange.servedBy(served.providerId(), served.upstreamModel());
                    exchange.firstToken(System.nanoTime() - exchange.startNanos());
                    return sink.commit(served, number);
                };
                RelayResult result = relay.relay(response, adapter.newStreamTranslator(request, target), attemptSink,
                        new StreamDeadlines(start, providerTimeouts.firstToken(), providerTimeouts.idle(), deadline),
                        target, attempt);
                exchange.attempt(span, new AttemptRecord(target.providerId(), target.upstreamModel(), status,
                        result.failure().map(UpstreamException::kind), System.nanoTime() - start,
                        result.firstEventNanos() == 0 ? 0 : result.firstEventNanos() - start));
                return result;
            }
        } catch (UpstreamException failure) {
            exchange.attempt(span, new AttemptRecord(target.providerId(), target.upstreamModel(), status,
                    Optional.of(failure.kind()), System.nanoTime() - start, 0));
            throw failure;
        }
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
            if (body.length > maxBytes && response.status() >= 200 && response.status() < 300) {
                throw UpstreamException.transport(ErrorKind.PROTOCOL, "the answer from provider '"
                        + target.providerId() + "' is larger than limits.max-response-bytes (" + maxBytes + ")");
            }
            return body;
        } catch (IOException | RuntimeException e) {
            if (e instanceof UpstreamException upstream) {
                throw upstream;
            }
            if (guard.expired()) {
                throw UpstreamException.transport(ErrorKind.TIMEOUT,
                        "provider '" + target.providerId() + "': " + guard.phase().description());
            }
            throw UpstreamException.connectionLost(
                    "the answer from provider '" + target.providerId() + "' broke off");
        }
    }

    private UpstreamClient clientFor(Target target) {
        return clients.get(target.providerId());
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
