package ai.higress.stream;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.upstream.UpstreamResponse;
import ai.higress.upstream.Watchdog;

/**
 * Moves one upstream stream to the client in two phases. {@link #open} reads until the translator yields the first
 * client event; every failure until then is thrown as an {@link UpstreamException}, so the caller may still try
 * another target (or let a hedge win). {@link OpenedStream#relay} then commits the response and relays the rest,
 * where a failure can only become an error event.
 */
public final class StreamRelay {
    private final Watchdog watchdog;
    private final int maxLineBytes;

    public StreamRelay(Watchdog watchdog, int maxLineBytes) {
        this.watchdog = watchdog;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Reads {@code response} until the first client event, within the time-to-first-token deadline.
     *
     * @throws UpstreamException when the stream fails before producing one; the response is closed
     */
    public OpenedStream open(UpstreamResponse response, StreamTranslator translator, StreamDeadlines deadlines,
                             Target target) {
        SseReader reader = new SseReader(response.body(), maxLineBytes);
        Watchdog.Guard guard = watchdog.arm(response, deadlines.firstTokenDeadline(), deadlines.firstTokenPhase());
        try {
            while (true) {
                Optional<SseEvent> next = nextEvent(reader, guard, target);
                if (next.isEmpty()) {
                    throw UpstreamException.transport(ErrorKind.PROTOCOL, "the stream from provider '"
                            + target.providerId() + "' ended before its first event");
                }
                long now = System.nanoTime();
                guard.reset(deadlines.idleDeadline(now), deadlines.idlePhase(now));
                List<SseEvent> events = translator.onEvent(next.get());
                if (!events.isEmpty()) {
                    return new OpenedStream(response, reader, guard, translator, deadlines, target, events);
                }
            }
        } catch (UpstreamException failure) {
            guard.close();
            response.close();
            throw failure;
        }
    }

    static Optional<SseEvent> nextEvent(SseReader reader, Watchdog.Guard guard, Target target) {
        try {
            return reader.next();
        } catch (SseFramingException e) {
            throw UpstreamException.transport(ErrorKind.PROTOCOL,
                    "provider '" + target.providerId() + "' sent a malformed stream: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            // the HTTP client reports a connection that broke mid-body with unchecked exceptions of its own
            if (guard.expired() || timedOut(e)) {
                throw UpstreamException.transport(ErrorKind.TIMEOUT,
                        "provider '" + target.providerId() + "': " + guard.phase().description());
            }
            throw UpstreamException.connectionLost("the stream from provider '" + target.providerId() + "' broke off");
        }
    }

    /** Whether a read failed because a socket read timeout ran out (it may fire just before the watchdog does). */
    public static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
