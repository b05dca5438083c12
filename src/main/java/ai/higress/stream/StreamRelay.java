package ai.higress.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

import ai.higress.error.ErrorEnvelope;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.observe.Outcome;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.schema.Json;
import ai.higress.upstream.UpstreamResponse;
import ai.higress.upstream.Watchdog;

/**
 * Moves one upstream stream to the client, event by event, each flushed. Until the first client event is written
 * (the commit point) every failure is thrown as an {@link UpstreamException} so the caller can try the next target.
 * After it, a failure becomes an error event in the client's protocol and the stream closes without {@code [DONE]};
 * a stream that ends without its terminal event is such a failure. A failed write means the client went away: the
 * upstream response is closed at once.
 */
public final class StreamRelay {
    private final Watchdog watchdog;
    private final int maxLineBytes;

    public StreamRelay(Watchdog watchdog, int maxLineBytes) {
        this.watchdog = watchdog;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Relays {@code response} through {@code translator} to {@code sink}.
     *
     * @throws UpstreamException a failure before the commit point
     */
    public RelayResult relay(UpstreamResponse response, StreamTranslator translator, StreamSink sink,
                             StreamDeadlines deadlines, Target target, int attempt) {
        SseReader reader = new SseReader(response.body(), maxLineBytes);
        Watchdog.Guard guard = watchdog.arm(response, deadlines.firstTokenDeadline(), deadlines.firstTokenPhase());
        SseWriter writer = null;
        long firstEventNanos = 0;
        try {
            while (true) {
                Optional<SseEvent> next = nextEvent(reader, guard, target);
                if (next.isEmpty()) {
                    if (translator.finished()) {
                        return new RelayResult(Outcome.SUCCESS, translator.usage(), firstEventNanos, Optional.empty());
                    }
                    throw UpstreamException.transport(ErrorKind.PROTOCOL, "the stream from provider '"
                            + target.providerId() + "' ended before it was complete");
                }
                long now = System.nanoTime();
                guard.reset(deadlines.idleDeadline(now), deadlines.idlePhase(now));
                List<SseEvent> events = translator.onEvent(next.get());
                if (events.isEmpty()) {
                    continue;
                }
                if (writer == null) {
                    writer = new SseWriter(sink.commit(target, attempt));
                    firstEventNanos = now;
                }
                if (!write(writer, events)) {
                    response.close();
                    return new RelayResult(Outcome.CLIENT_DISCONNECTED, translator.usage(), firstEventNanos,
                            Optional.empty());
                }
                if (translator.finished()) {
                    drain(reader);
                    return new RelayResult(Outcome.SUCCESS, translator.usage(), firstEventNanos, Optional.empty());
                }
            }
        } catch (UpstreamException failure) {
            if (writer == null) {
                throw failure;
            }
            response.close();
            boolean delivered = writeError(writer, failure);
            return new RelayResult(delivered ? Outcome.STREAM_INTERRUPTED : Outcome.CLIENT_DISCONNECTED,
                    translator.usage(), firstEventNanos, Optional.of(failure));
        } finally {
            guard.close();
        }
    }

    private static Optional<SseEvent> nextEvent(SseReader reader, Watchdog.Guard guard, Target target) {
        try {
            return reader.next();
        } catch (SseFramingException e) {
            throw UpstreamException.transport(ErrorKind.PROTOCOL,
                    "provider '" + target.providerId() + "' sent a malformed stream: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            // the HTTP client reports a connection that broke mid-body with unchecked exceptions of its own
            if (guard.expired()) {
                throw UpstreamException.transport(ErrorKind.TIMEOUT,
                        "provider '" + target.providerId() + "': " + guard.phase().description());
            }
            throw UpstreamException.connectionLost(
                    "the stream from provider '" + target.providerId() + "' broke off");
        }
    }

    private static boolean write(SseWriter writer, List<SseEvent> events) {
        try {
            for (SseEvent event : events) {
                writer.write(event);
            }
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static boolean writeError(SseWriter writer, UpstreamException failure) {
        try {
            writer.write(SseEvent.data(Json.text(ErrorEnvelope.of(failure))));
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** Reads what follows the terminal event so the connection can be reused; the idle guard bounds it. */
    private static void drain(SseReader reader) {
        try {
            while (reader.next().isPresent()) {
                // events after the terminal one carry nothing for the client
            }
        } catch (IOException | RuntimeException e) {
            // the client already has its complete stream
        }
    }
}
