package ai.higress.gemini;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import ai.higress.error.GoogleErrorEnvelope;
import ai.higress.error.UpstreamException;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.UpstreamJson;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;
import ai.higress.stream.SseEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns the OpenAI chat chunks of a wrapped translator into Gemini's stream: one {@code GenerateContentResponse}
 * event per chunk that carries text (thoughts as {@code thought} parts), function calls held back until their
 * streamed arguments are complete and then emitted whole, and a last event with the finish reason and
 * {@code usageMetadata} once the upstream stream has ended. Gemini streams have no terminator event.
 */
final class GeminiChunkStream implements StreamTranslator {
    private final ChatRequest request;
    private final StreamTranslator upstream;
    /** Streamed tool calls by index: id, name, and the argument text so far. */
    private final Map<Integer, String[]> calls = new TreeMap<>();
    private String model = "";
    private String responseId = "";
    private String finishReason = "";
    private boolean finished;

    GeminiChunkStream(ChatRequest request, StreamTranslator upstream) {
        this.request = request;
        this.upstream = upstream;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent event) {
        if (finished) {
            return List.of();
        }
        List<SseEvent> out = new ArrayList<>();
        for (SseEvent chunk : upstream.onEvent(event)) {
            if (chunk.isDone()) {
                break;
            }
            translate(UpstreamJson.object(chunk.data().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .orElseThrow(() -> GeminiWire.protocolError("a chunk is not a JSON object")), out);
        }
        if (upstream.finished()) {
            finish(out);
        }
        return out;
    }

    private void translate(JsonNode chunk, List<SseEvent> out) {
        if (model.isEmpty()) {
            model = GeminiWire.text(chunk, "model");
        }
        if (responseId.isEmpty()) {
            responseId = GeminiWire.text(chunk, "id");
        }
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0) {
                continue;
            }
            JsonNode delta = choice.path("delta");
            ArrayNode parts = Json.MAPPER.createArrayNode();
            String reasoning = GeminiWire.text(delta, "reasoning_content");
            if (!reasoning.isEmpty()) {
                parts.addObject().put("text", reasoning).put("thought", true);
            }
            String text = GeminiWire.text(delta, "content") + GeminiWire.text(delta, "refusal");
            if (!text.isEmpty()) {
                parts.addObject().put("text", text);
            }
            for (JsonNode call : delta.path("tool_calls")) {
                collect(call);
            }
            if (!parts.isEmpty()) {
                out.add(event(parts));
            }
            if (choice.path("finish_reason").isTextual()) {
                finishReason = choice.get("finish_reason").textValue();
            }
        }
    }

    private void collect(JsonNode call) {
        String[] state = calls.computeIfAbsent(call.path("index").asInt(calls.size()),
                unused -> new String[] {"", "", ""});
        JsonNode function = call.path("function");
        state[0] = state[0].isEmpty() ? GeminiWire.text(call, "id") : state[0];
        state[1] = state[1] + GeminiWire.text(function, "name");
        state[2] = state[2] + GeminiWire.text(function, "arguments");
    }

    /** The held function calls, then the finish reason and usage, in one last event. */
    private void finish(List<SseEvent> out) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        for (String[] call : calls.values()) {
            parts.add(GeminiWire.functionCall(call[0], call[1], Json.MAPPER.getNodeFactory().textNode(call[2])));
        }
        ObjectNode last = GeminiWire.response(parts, modelName(), responseId);
        GeminiWire.candidate(last).put("finishReason", GeminiWire.finishReason(finishReason));
        upstream.usage().ifPresent(usage -> last.set("usageMetadata", GeminiWire.usageMetadata(usage)));
        out.add(SseEvent.data(Json.text(last)));
        finished = true;
    }

    private SseEvent event(ArrayNode parts) {
        return SseEvent.data(Json.text(GeminiWire.response(parts, modelName(), responseId)));
    }

    private String modelName() {
        return model.isEmpty() ? upstream.upstreamModel().orElse(request.model()) : model;
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public Optional<Usage> usage() {
        return upstream.usage();
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
