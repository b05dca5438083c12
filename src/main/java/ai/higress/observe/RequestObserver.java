package ai.higress.observe;

import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

import ai.higress.config.ObserveConfig;

/**
 * Reports a finished request exactly once: one access-log line, the metric updates and the JFR events. The access log
 * holds ids, names, sizes and timings, never prompt or completion text.
 */
public final class RequestObserver {
    private static final Logger ACCESS = Logger.getLogger("ai.higress.access");

    private final ObserveConfig config;
    private final GatewayMetrics metrics;
    private final Hook hook;

    /** Receives every finished request, e.g. to record usage; must not block. */
    @FunctionalInterface
    public interface Hook {
        Hook NONE = (exchange, status, outcome, durationNanos) -> { };

        void finished(Exchange exchange, int status, Outcome outcome, long durationNanos);
    }

    public RequestObserver(ObserveConfig config, GatewayMetrics metrics, Hook hook) {
        this.config = config;
        this.metrics = metrics;
        this.hook = hook;
        // JFR registers an event class in its static initializer under a monitor; doing that here, on a platform
        // thread at start-up, keeps it from pinning the first request's virtual thread
        jdk.jfr.FlightRecorder.register(RequestEvent.class);
        jdk.jfr.FlightRecorder.register(AttemptEvent.class);
    }

    public void finish(Exchange exchange, int status) {
        long duration = System.nanoTime() - exchange.startNanos();
        Outcome outcome = exchange.outcome().orElse(Outcome.ofStatus(status));
        metrics.request(exchange, outcome, duration);
        for (AttemptRecord attempt : exchange.attempts()) {
            metrics.attempt(exchange, attempt);
        }
        requestEvent(exchange, outcome, status);
        hook.finished(exchange, status, outcome, duration);
        if (config.accessLog() && ACCESS.isLoggable(Level.INFO)) {
            ACCESS.info(accessLine(exchange, outcome, status, duration));
        }
    }

    static String accessLine(Exchange exchange, Outcome outcome, int status, long durationNanos) {
        StringBuilder line = new StringBuilder(256)
                .append("request_id=").append(exchange.requestId())
                .append(exchange.clientRequestId().isEmpty() ? "" : " client_request_id=" + exchange.clientRequestId())
                .append(" method=").append(exchange.method())
                .append(" path=").append(exchange.path())
                .append(" status=").append(status)
                .append(" outcome=").append(outcome.tag())
                .append(" duration_ms=").append(millis(durationNanos));
        if (!exchange.caller().isEmpty()) {
            line.append(" key=").append(exchange.caller());
        }
        if (!exchange.modelTag().isEmpty()) {
            line.append(" model=").append(exchange.modelTag()).append(" stream=").append(exchange.stream());
        }
        if (!exchange.providerTag().isEmpty()) {
            line.append(" provider=").append(exchange.providerTag())
                    .append(" upstream_model=").append(exchange.upstreamModel());
        }
        if (!exchange.attempts().isEmpty()) {
            line.append(" attempts=").append(exchange.attempts().size()).append(" attempt_log=");
            for (AttemptRecord attempt : exchange.attempts()) {
                line.append(attempt.provider()).append(':').append(attempt.status()).append(':')
                        .append(attempt.outcomeTag()).append(':').append(millis(attempt.durationNanos())).append("ms,");
            }
            line.setLength(line.length() - 1);
        }
        if (exchange.firstTokenNanos() > 0) {
            line.append(" ttft_ms=").append(millis(exchange.firstTokenNanos()));
        }
        exchange.usage().ifPresent(usage -> line.append(" prompt_tokens=").append(usage.promptTokens())
                .append(" completion_tokens=").append(usage.completionTokens()));
        if (!exchange.errorCode().isEmpty()) {
            line.append(" error=").append(exchange.errorCode());
        }
        return line.toString();
    }

    private static void requestEvent(Exchange exchange, Outcome outcome, int status) {
        RequestEvent event = exchange.event();
        event.end();
        if (event.shouldCommit()) {
            event.requestId = exchange.requestId();
            event.route = exchange.route();
            event.model = exchange.modelTag();
            event.provider = exchange.providerTag();
            event.outcome = outcome.tag();
            event.status = status;
            event.stream = exchange.stream();
            event.attempts = exchange.attempts().size();
            event.firstTokenMillis = exchange.firstTokenNanos() / 1_000_000;
            exchange.usage().ifPresent(usage -> {
                event.promptTokens = usage.promptTokens();
                event.completionTokens = usage.completionTokens();
            });
            event.commit();
        }
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1_000_000.0);
    }
}
