package ai.higress.provider.anthropic;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.error.UpstreamException;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamJson;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;
import ai.higress.stream.SseEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Relays an Anthropic stream to an Anthropic client as it came. {@code message_start} and any {@code ping} before
 * the first content are held back and released with it, so an {@code error} event before any content still fails
 * over before the commit point; after it an {@code error} event ends the relay and the client gets it back as an
 * Anthropic {@code error} event. Usage is read from {@code message_start} and {@code message_delta}.
 */
final class NativeStreamRelay implements StreamTranslator {
    private final Target target;
    private final UsageCounts usage = new UsageCounts();
    private final List<SseEvent> held = new ArrayList<>();
    private boolean released;
    private boolean finished;

    NativeStreamRelay(Target target) {
        this.target = target;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent event) {
        if (finished) {
            return List.of();
        }
        JsonNode data = UpstreamJson.event(event.data(), target);
        switch (data.path("type").asText("")) {
            case "error" -> throw AnthropicErrors.fromErrorObject(target, data);
            case "message_start" -> usage.update(data.path("message").get("usage"));
            case "message_delta" -> usage.update(data.get("usage"));
            case "message_stop" -> finished = true;
            default -> {
                // relayed untouched
            }
        }
        String type = data.path("type").asText("");
        if (!released && (type.equals("message_start") || type.equals("ping"))) {
            held.add(event);
            return List.of();
        }
        released = true;
        if (held.isEmpty()) {
            return List.of(event);
        }
        List<SseEvent> events = new ArrayList<>(held);
        events.add(event);
        held.clear();
        return events;
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public Optional<Usage> usage() {
        return usage.usage();
    }

    @Override
    public WireProtocol protocol() {
        return WireProtocol.ANTHROPIC_MESSAGES;
    }

    /** Anthropic's in-stream error: {@code event: error} with the error envelope. */
    @Override
    public SseEvent errorEvent(UpstreamException failure) {
        ObjectNode root = Json.object().put("type", "error");
        root.putObject("error").put("type", AnthropicErrors.anthropicType(failure.kind()))
                .put("message", failure.getMessage());
        return SseEvent.named("error", Json.text(root));
    }
}
