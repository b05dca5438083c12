package ai.higress.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.observe.Outcome;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.upstream.UpstreamResponse;
import ai.higress.upstream.Watchdog;

/**
 * An upstream stream that has produced its first client events but has not been committed to the client. Either
 * {@link #relay} it (the commit point) or {@link #close} it (a hedge that lost).
 */
public final class OpenedStream implements AutoCloseable {
    private final UpstreamResponse response;
    private final SseReader reader;
    private final Watchdog.Guard guard;
    private final StreamTranslator translator;
    private final StreamDeadlines deadlines;
    private final Target target;
    private final List<SseEvent> firstEvents;

    OpenedStream(UpstreamResponse response, SseReader reader, Watchdog.Guard guard, StreamTranslator translator,
                 StreamDeadlines deadlines, Target target, List<SseEvent> firstEvents) {
        this.response = response;
        this.reader = reader;
        this.guard = guard;
        this.translator = translator;
        this.deadlines = deadlines;
        this.target = target;
        this.firstEvents = List.copyOf(firstEvents);
    }

    /**
     * Commits the client response and relays every event, each flushed. After this point a failure becomes an error
     * event and the stream closes without {@code [DONE]}; a stream that ends without its terminal event is such a
     * failure; a failed write means the client left, and the upstream response is closed at once.
     */
    public RelayResult relay(StreamSink sink, int attempt) {
        try {
            SseWriter writer = new SseWriter(sink.commit(target, attempt));
            List<SseEvent> events = firstEvents;
            while (true) {
                if (!write(writer, events)) {
                    return result(Outcome.CLIENT_DISCONNECTED, Optional.empty());
                }
                if (translator.finished()) {
                    drain();
                    return result(Outcome.SUCCESS, Optional.empty());
                }
                try {
                    events = nextEvents();
                } catch (UpstreamException failure) {
                    response.close();
                    return result(writeError(writer, translator.errorEvent(failure)) ? Outcome.STREAM_INTERRUPTED
                            : Outcome.CLIENT_DISCONNECTED, Optional.of(failure));
                }
            }
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        guard.close();
        response.close();
    }

    private List<SseEvent> nextEvents() {
        while (true) {
            Optional<SseEvent> next = StreamRelay.nextEvent(reader, guard, target);
            if (next.isEmpty()) {
                throw UpstreamException.transport(ErrorKind.PROTOCOL,
                        "the stream from provider '" + target.providerId() + "' ended before it was complete");
            }
            long now = System.nanoTime();
            guard.reset(deadlines.idleDeadline(now), deadlines.idlePhase(now));
            List<SseEvent> events = translator.onEvent(next.get());
            if (!events.isEmpty() || translator.finished()) {
                return events;
            }
        }
    }

    private RelayResult result(Outcome outcome, Optional<UpstreamException> failure) {
        return new RelayResult(outcome, translator.usage(), failure);
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

    private static boolean writeError(SseWriter writer, SseEvent error) {
        try {
            writer.write(error);
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** Reads what follows the terminal event so the connection can be reused; the idle guard bounds it. */
    private void drain() {
        try {
            while (reader.next().isPresent()) {
                // events after the terminal one carry nothing for the client
            }
        } catch (IOException | RuntimeException e) {
            // the client already has its complete stream
        }
    }
}
