package ai.higress.provider.gemini;

import java.util.List;
import java.util.Optional;

import ai.higress.error.GoogleErrorEnvelope;
import ai.higress.error.UpstreamException;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;
import ai.higress.stream.SseEvent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Gemini stream relayed to a client that itself speaks Gemini (the fast path): events pass through untouched; the
 * translator only reads usage, notices the finish reason that ends the stream, and turns an error event into an
 * {@link UpstreamException}. A committed stream that breaks ends with an error event in Google's envelope.
 */
final class GeminiRelayTranslator implements StreamTranslator {
    private final Target target;
    private boolean finished;
    private Usage usage;

    GeminiRelayTranslator(Target target) {
        this.target = target;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent event) {
        if (finished) {
            return List.of();
        }
        JsonNode root = GeminiResponse.event(event.data(), target);
        GeminiUsage.read(root.get("usageMetadata")).ifPresent(seen -> usage = seen);
        finished = !root.path("candidates").path(0).path("finishReason").asText("").isEmpty();
        return List.of(event);
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    @Override
    public WireProtocol protocol() {
        return WireProtocol.GEMINI;
    }

    @Override
    public SseEvent errorEvent(UpstreamException failure) {
        return SseEvent.data(Json.text(GoogleErrorEnvelope.of(failure)));
    }
}
