package ai.higress.provider;

import java.util.List;
import java.util.Optional;

import ai.higress.error.ErrorEnvelope;
import ai.higress.error.UpstreamException;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;
import ai.higress.stream.SseEvent;

/**
 * Per-stream state that turns upstream events into client events. Created for one attempt and used by one thread.
 */
public interface StreamTranslator {

    /**
     * Translates one upstream event into zero or more client events.
     *
     * @throws UpstreamException when the event reports an error or cannot be understood
     */
    List<SseEvent> onEvent(SseEvent event);

    /** Whether the upstream's terminal event has been seen; after it, the stream is complete. */
    boolean finished();

    /** Usage reported so far (normally by the last chunk). */
    Optional<Usage> usage();

    /**
     * The model the target was asked for, for a client codec that must name a model before (or without) the
     * upstream's chunks naming one; empty when this translator's chunks always name it.
     */
    default Optional<String> upstreamModel() {
        return Optional.empty();
    }

    /** The dialect of the events this translator emits: OpenAI chat chunks unless it relays a client's own. */
    default WireProtocol protocol() {
        return WireProtocol.OPENAI_CHAT;
    }

    /**
     * The event that ends a committed stream broken by {@code failure}, in this translator's output dialect. OpenAI
     * chat clients get the error envelope as a data event, and no {@code [DONE]} after it.
     */
    default SseEvent errorEvent(UpstreamException failure) {
        return SseEvent.data(Json.text(ErrorEnvelope.of(failure)));
    }
}
