package ai.higress.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;

/**
 * What one request did, collected as it runs and reported once when it ends. Owned by the request's thread.
 */
public final class Exchange {
    private final String requestId;
    private final String clientRequestId;
    private final String method;
    private final String path;
    private final long startNanos;
    private final java.time.Instant startedAt = java.time.Instant.now();
    private final RequestEvent event = new RequestEvent();
    private final List<AttemptRecord> attempts = new ArrayList<>();
    private String route = "other";
    private WireProtocol clientProtocol = WireProtocol.OPENAI_CHAT;
    private String caller = "";
    private String callerKeyId = "";
    private String modelTag = "";
    private String providerTag = "";
    private String upstreamModel = "";
    private boolean stream;
    private long firstTokenNanos;
    private Usage usage;
    private Outcome outcome;
    private String errorCode = "";

    public Exchange(String requestId, String method, String path, long startNanos) {
        this(requestId, "", method, path, startNanos);
    }

    /**
     * @param requestId       the gateway's unique id
     * @param clientRequestId the client's {@code x-request-id}, empty when it sent none
     */
    public Exchange(String requestId, String clientRequestId, String method, String path, long startNanos) {
        this.requestId = requestId;
        this.clientRequestId = clientRequestId;
        this.method = method;
        this.path = path;
        this.startNanos = startNanos;
        event.begin();
    }

    public String requestId() {
        return requestId;
    }

    /** The client's {@code x-request-id}, empty when it sent none. */
    public String clientRequestId() {
        return clientRequestId;
    }

    /** The id the client sees as {@code x-request-id}, also sent upstream: the client's own, else the gateway's. */
    public String correlationId() {
        return clientRequestId.isEmpty() ? requestId : clientRequestId;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public long startNanos() {
        return startNanos;
    }

    public void route(String name) {
        this.route = name;
    }

    public String route() {
        return route;
    }

    /** Records the dialect the client speaks, which every error it gets must be written in. */
    public void clientProtocol(WireProtocol protocol) {
        this.clientProtocol = protocol;
    }

    /** The client's dialect; OpenAI chat unless the request's path says otherwise. */
    public WireProtocol clientProtocol() {
        return clientProtocol;
    }

    public void caller(String keyId, String keyName) {
        this.callerKeyId = keyId;
        this.caller = keyName;
    }

    public String callerKeyId() {
        return callerKeyId;
    }

    public String caller() {
        return caller;
    }

    /** The model as a metric tag: a configured alias or {@code provider/model}, never a raw client string. */
    public void model(String tag, boolean streaming) {
        this.modelTag = tag;
        this.stream = streaming;
    }

    public String modelTag() {
        return modelTag;
    }

    public boolean stream() {
        return stream;
    }

    /** The target that produced the answer the client got. */
    public void servedBy(String provider, String model) {
        this.providerTag = provider;
        this.upstreamModel = model;
    }

    public String providerTag() {
        return providerTag;
    }

    public String upstreamModel() {
        return upstreamModel;
    }

    /** Starts timing an upstream attempt (a JFR event spanning it). */
    public AttemptSpan startAttempt() {
        AttemptEvent attemptEvent = new AttemptEvent();
        attemptEvent.begin();
        return new AttemptSpan(attemptEvent, attempts.size() + 1);
    }

    /** Records a finished attempt. */
    public void attempt(AttemptSpan span, AttemptRecord attempt) {
        attempts.add(attempt);
        AttemptEvent attemptEvent = span.event();
        attemptEvent.end();
        if (attemptEvent.shouldCommit()) {
            attemptEvent.requestId = requestId;
            attemptEvent.attempt = span.number();
            attemptEvent.provider = attempt.provider();
            attemptEvent.upstreamModel = attempt.upstreamModel();
            attemptEvent.status = attempt.status();
            attemptEvent.outcome = attempt.outcomeTag();
            attemptEvent.firstTokenMillis = attempt.firstTokenNanos() / 1_000_000;
            attemptEvent.commit();
        }
    }

    /** An attempt in progress; pass it back to {@link #attempt(AttemptSpan, AttemptRecord)}. */
    public record AttemptSpan(AttemptEvent event, int number) {
    }

    public List<AttemptRecord> attempts() {
        return List.copyOf(attempts);
    }

    public void firstToken(long nanosSinceStart) {
        if (firstTokenNanos == 0) {
            firstTokenNanos = nanosSinceStart;
        }
    }

    /** Time from the request's arrival to the first token written, 0 when none. */
    public long firstTokenNanos() {
        return firstTokenNanos;
    }

    public void usage(Usage reported) {
        this.usage = reported;
    }

    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    /** Records how the request ended; the first outcome recorded wins. */
    public void outcome(Outcome ended, String code) {
        if (outcome == null) {
            outcome = ended;
            errorCode = code;
        }
    }

    public Optional<Outcome> outcome() {
        return Optional.ofNullable(outcome);
    }

    public String errorCode() {
        return errorCode;
    }

    public java.time.Instant startedAt() {
        return startedAt;
    }

    RequestEvent event() {
        return event;
    }
}
