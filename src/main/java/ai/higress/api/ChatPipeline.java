package ai.higress.api;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

import ai.higress.auth.Caller;
import ai.higress.observe.Exchange;
import ai.higress.observe.Outcome;
import ai.higress.provider.ChatResult;
import ai.higress.provider.Target;
import ai.higress.ratelimit.Admission;
import ai.higress.ratelimit.Quota;
import ai.higress.ratelimit.RateLimits;
import ai.higress.routing.ChatDispatcher;
import ai.higress.schema.ChatRequest;
import ai.higress.session.SessionOwner;
import ai.higress.session.Sessions;
import ai.higress.session.StickyTarget;
import ai.higress.stream.RelayResult;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * What every chat-shaped ingress (chat completions, Messages, Responses) does with a parsed canonical request:
 * rate-limit admission, the session's sticky target, dispatch (JSON or stream), the gateway's response headers, the
 * session snippet, and settling the reservation with the real usage. The endpoints differ only in how they parse and
 * in the {@link AnswerText} of their dialect.
 */
final class ChatPipeline {
    static final HeaderName PROVIDER = HeaderNames.create("x-higress-provider");
    static final HeaderName MODEL = HeaderNames.create("x-higress-model");
    static final HeaderName ATTEMPTS = HeaderNames.create("x-higress-attempts");
    static final HeaderName SESSION = HeaderNames.create(Sessions.HEADER);

    private final ChatDispatcher dispatcher;
    private final RateLimits rateLimits;
    private final Sessions sessions;

    ChatPipeline(ChatDispatcher dispatcher, RateLimits rateLimits, Sessions sessions) {
        this.dispatcher = dispatcher;
        this.rateLimits = rateLimits;
        this.sessions = sessions;
    }

    /**
     * The validated session id the request carries, if sessions are on. Read before the body is parsed so a bad id
     * fails first.
     */
    Optional<String> sessionId(ServerRequest req) {
        return sessions.enabled() ? req.headers().first(SESSION).map(Sessions::validate) : Optional.empty();
    }

    /** Serves {@code request} and writes the answer (or the stream) to {@code res}. */
    void serve(ServerRequest req, ServerResponse res, ChatRequest request, Optional<String> sessionId,
               AnswerText dialect) {
        serve(req, res, request, sessionId, dialect, AnswerListener.NONE);
    }

    /** Serves {@code request} as the other overload does, and shows {@code listener} the answer first. */
    void serve(ServerRequest req, ServerResponse res, ChatRequest request, Optional<String> sessionId,
               AnswerText dialect, AnswerListener listener) {
        Exchange exchange = Exchanges.of(req);
        Caller caller = Callers.of(req);
        Admission admission = rateLimits.admit(caller.keyId(),
                new Quota(caller.limits().requestsPerMinute(), caller.limits().tokensPerMinute()), request.body());
        admission.headers().forEach(res::header);
        // after admission: a refused request costs no session lookup
        Optional<Session> session = sessionId.map(id -> new Session(caller, id,
                sessions.sticky(caller.keyId(), id)));
        boolean returned = false;
        try {
            if (request.stream()) {
                stream(request, caller, exchange, res, session, dialect, listener);
            } else {
                complete(request, caller, exchange, res, session, dialect, listener);
            }
            returned = true;
        } finally {
            boolean succeeded = returned && exchange.outcome().map(outcome -> outcome == Outcome.SUCCESS).orElse(true);
            rateLimits.settle(admission, exchange.usage(), succeeded);
        }
    }

    private void complete(ChatRequest request, Caller caller, Exchange exchange, ServerResponse res,
                          Optional<Session> session, AnswerText dialect, AnswerListener listener) {
        ChatResult result = dispatcher.complete(request, caller, exchange, preferred(session));
        session.ifPresent(open -> record(open, request, exchange, dialect.ofBody(result.body())));
        listener.completed(result.body());
        res.header(PROVIDER, exchange.providerTag());
        res.header(MODEL, exchange.upstreamModel());
        res.header(ATTEMPTS, Integer.toString(exchange.attempts().size()));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(result.body());
    }

    private void stream(ChatRequest request, Caller caller, Exchange exchange, ServerResponse res,
                        Optional<Session> session, AnswerText dialect, AnswerListener listener) {
        OutputStream[] committed = new OutputStream[1];
        SessionTurns.Capture[] capture = new SessionTurns.Capture[1];
        try {
            RelayResult relayed = dispatcher.stream(request, caller, exchange, (Target target, int attempt) -> {
                res.status(Status.OK_200);
                res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
                res.header(HeaderNames.CACHE_CONTROL, "no-cache");
                res.header(HeaderNames.create("x-accel-buffering"), "no");
                res.header(PROVIDER, target.providerId());
                res.header(MODEL, target.upstreamModel());
                res.header(ATTEMPTS, Integer.toString(attempt));
                committed[0] = new ClientOutputStream(res.outputStream());
                OutputStream client = listener.watch(committed[0]);
                if (session.isPresent()) {
                    capture[0] = new SessionTurns.Capture(client, dialect);
                    return capture[0];
                }
                return client;
            }, preferred(session));
            if (session.isPresent() && relayed.outcome() == Outcome.SUCCESS) {
                record(session.get(), request, exchange,
                        capture[0] == null ? Optional.empty() : capture[0].answer());
            }
        } finally {
            if (committed[0] != null) {
                closeQuietly(committed[0]);
            }
        }
    }

    private static Optional<String> preferred(Optional<Session> session) {
        return session.flatMap(Session::sticky).map(StickyTarget::label);
    }

    private void record(Session session, ChatRequest request, Exchange exchange, Optional<String> answer) {
        Caller caller = session.owner();
        sessions.record(new SessionOwner(caller.keyId(), caller.keyName(), caller.sessionText()), session.id(),
                new Sessions.Turn(exchange.modelTag(), new StickyTarget(exchange.providerTag(),
                        exchange.upstreamModel()), session.sticky(), SessionTurns.lastUser(request.body()), answer,
                        exchange.usage(), exchange.startedAt(), request.stream()));
    }

    /** The session a request belongs to, its owner, and the target it stuck to before this request. */
    private record Session(Caller owner, String id, Optional<StickyTarget> sticky) {
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException | UncheckedIOException e) {
            // the client is gone; the outcome is already recorded
        }
    }
}
