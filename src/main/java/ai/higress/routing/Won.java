package ai.higress.routing;

import java.util.Optional;

import ai.higress.error.UpstreamException;
import ai.higress.observe.AttemptRecord;
import ai.higress.observe.Exchange;

/**
 * The attempt that won: its prepared value (a complete answer, or a stream opened up to its first event) and the
 * bookkeeping still owed when the caller is done with it.
 */
public final class Won<P> {
    private final P value;
    private final AttemptContext context;
    private final Exchange.AttemptSpan span;
    private final Exchange exchange;
    private final HealthTracker health;
    private final long firstTokenNanos;

    Won(P value, AttemptContext context, Exchange.AttemptSpan span, Exchange exchange, HealthTracker health,
        long firstTokenNanos) {
        this.value = value;
        this.context = context;
        this.span = span;
        this.exchange = exchange;
        this.health = health;
        this.firstTokenNanos = firstTokenNanos;
    }

    public P value() {
        return value;
    }

    public AttemptContext context() {
        return context;
    }

    /**
     * Gives back the attempt's place under the concurrency caps without recording anything: for the path where the
     * caller fails before it can {@link #finish}. Idempotent, and {@link #finish} releases it too.
     */
    public void releaseLease() {
        context.releaseLease();
    }

    /**
     * Records the attempt's end. A failure after the commit point (a stream that broke off) still counts against the
     * target's health, though nothing can be retried any more.
     */
    public void finish(Optional<UpstreamException> lateFailure) {
        context.releaseLease();
        health.target(context.target()).inFlight().decrementAndGet();
        lateFailure.ifPresent(failure -> health.onFailure(context.target(), failure.kind(), failure.retryAfter()));
        exchange.attempt(span, new AttemptRecord(context.target().providerId(), context.target().upstreamModel(),
                context.target().key().id(), context.status(),
                lateFailure.map(failure -> failure.kind().name().toLowerCase()).orElse("success"), context.hedge(),
                health.ticker().nanos() - context.startNanos(), firstTokenNanos));
    }
}
