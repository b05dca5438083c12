package ai.higress.routing;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import ai.higress.config.LimitsConfig;
import ai.higress.config.TimeoutsConfig;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamRequest;
import ai.higress.stream.StreamRelay;
import ai.higress.upstream.UpstreamClient;
import ai.higress.upstream.UpstreamResponse;
import ai.higress.upstream.Watchdog;

/**
 * The HTTP part of one attempt, shared by every endpoint's dispatcher: send through the target's upstream client
 * within the attempt's deadline, read a bounded body under the watchdog, and turn an error answer into the
 * protocol's classified failure. What the bytes mean stays with the adapters.
 */
final class UpstreamCall {
    private final Watchdog watchdog;
    private final LimitsConfig limits;

    /** How a protocol classifies an error answer: each adapter SPI's {@code classifyError}. */
    @FunctionalInterface
    interface Classifier {
        UpstreamException classify(Target target, int status, Map<String, String> headers, byte[] body);
    }

    UpstreamCall(Watchdog watchdog, LimitsConfig limits) {
        this.watchdog = watchdog;
        this.limits = limits;
    }

    /**
     * Performs a non-streaming attempt and returns the successful answer's body.
     *
     * @throws UpstreamException the classified failure (error status, timeout, broken connection, oversized body)
     */
    byte[] complete(RoutingTable table, UpstreamRequest upstream, AttemptContext context, long deadline,
                    Classifier classifier) {
        Target target = context.target();
        TimeoutsConfig providerTimeouts = target.provider().timeouts();
        long attemptDeadline = Math.min(deadline, context.startNanos() + providerTimeouts.attempt().toNanos());
        try (UpstreamResponse response = clientFor(table, target).send(upstream,
                remaining(attemptDeadline, providerTimeouts.attempt()));
             Watchdog.Guard guard = watchdog.arm(response, attemptDeadline, Watchdog.Phase.TOTAL)) {
            context.responded(response.status(), response);
            if (!isSuccess(response.status())) {
                throw classify(classifier, target, response, guard);
            }
            return readBody(response, guard, target, (int) limits.maxResponseBytes());
        }
    }

    UpstreamException classify(Classifier classifier, Target target, UpstreamResponse response,
                               Watchdog.Guard guard) {
        byte[] body = readBody(response, guard, target, limits.maxErrorBodyBytes());
        if (body.length > limits.maxErrorBodyBytes()) {
            body = Arrays.copyOf(body, limits.maxErrorBodyBytes());
        }
        return classifier.classify(target, response.status(), response.headers(), body);
    }

    static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    static UpstreamClient clientFor(RoutingTable table, Target target) {
        return table.clients().get(target.providerId());
    }

    static Duration remaining(long deadlineNanos, Duration cap) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw UpstreamException.transport(ErrorKind.TIMEOUT, "the request deadline passed");
        }
        Duration remaining = Duration.ofNanos(left);
        return remaining.compareTo(cap) < 0 ? remaining : cap;
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
}
