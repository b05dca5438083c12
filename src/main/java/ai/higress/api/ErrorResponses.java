package ai.higress.api;

import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import ai.higress.error.AnthropicErrorEnvelope;
import ai.higress.error.ErrorEnvelope;
import ai.higress.error.ErrorType;
import ai.higress.error.GatewayException;
import ai.higress.error.GoogleErrorEnvelope;
import ai.higress.error.UpstreamException;
import ai.higress.observe.Exchange;
import ai.higress.observe.Outcome;
import ai.higress.ratelimit.RateLimitedException;
import ai.higress.schema.Json;
import ai.higress.schema.WireProtocol;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * Writes any failure as an error envelope with the matching status, in the dialect of the client's API (recorded on
 * the {@link Exchange}): OpenAI's, Anthropic's for the Messages API, or Google's for the Gemini API. The only place that does so.
 */
final class ErrorResponses {
    private static final Logger LOGGER = Logger.getLogger(ErrorResponses.class.getName());

    private ErrorResponses() {
    }

    static void write(ServerResponse response, Throwable failure, Exchange exchange) {
        Throwable translated = translateServerErrors(failure, exchange);
        GatewayException visible = ErrorEnvelope.visible(translated);
        if (visible != translated) {
            LOGGER.log(Level.WARNING, "request " + exchange.requestId() + " failed unexpectedly", failure);
            exchange.outcome(Outcome.INTERNAL_ERROR, visible.code().orElse(""));
        } else {
            exchange.outcome(Outcome.of(visible), visible.code().orElse(""));
        }
        if (response.isSent() || exchange.firstTokenNanos() > 0) {
            // a committed stream already carries its own error event; the status line is long gone
            return;
        }
        boolean anthropic = exchange.clientProtocol() == WireProtocol.ANTHROPIC_MESSAGES;
        response.status(Status.create(anthropic ? AnthropicErrorEnvelope.status(visible) : visible.status()));
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        if (visible instanceof UpstreamException upstream) {
            upstream.retryAfter().ifPresent(wait -> response.header(HeaderNames.RETRY_AFTER, seconds(wait)));
        }
        if (visible instanceof RateLimitedException limited) {
            limited.headers().forEach(response::header);
            response.header(HeaderNames.RETRY_AFTER, seconds(limited.retryAfter()));
        }
        response.send(switch (exchange.clientProtocol()) {
            case ANTHROPIC_MESSAGES -> Json.bytes(AnthropicErrorEnvelope.of(visible,
                    Optional.of(exchange.correlationId())));
            case GEMINI -> Json.bytes(GoogleErrorEnvelope.of(visible));
            default -> ErrorEnvelope.bytes(visible);
        });
    }

    /** Helidon's own HTTP exceptions (no route, bad framing, payload limit) in the gateway's vocabulary. */
    private static Throwable translateServerErrors(Throwable failure, Exchange exchange) {
        if (!(failure instanceof HttpException http)) {
            return failure;
        }
        int status = http.status().code();
        return switch (status) {
            case 404 -> GatewayException.notFound("Invalid URL (" + exchange.method() + " " + exchange.path() + ").");
            case 405 -> GatewayException.methodNotAllowed(exchange.method(), exchange.path());
            case 413 -> GatewayException.payloadTooLarge();
            default -> status >= 400 && status < 500
                    ? new GatewayException(status, ErrorType.INVALID_REQUEST, "The request could not be processed: "
                            + http.status().reasonPhrase() + ".", Optional.empty(), Optional.empty())
                    : failure;
        };
    }

    private static String seconds(Duration wait) {
        return Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000));
    }
}
