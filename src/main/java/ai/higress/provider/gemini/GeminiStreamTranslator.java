package ai.higress.provider.gemini;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;
import ai.higress.stream.SseEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Gemini's {@code streamGenerateContent?alt=sse} as OpenAI chat chunks. Each Gemini event is a whole
 * {@code GenerateContentResponse} holding the next parts: the first event opens with the role chunk, text becomes
 * {@code content} deltas, thought summaries {@code reasoning_content} deltas, and each function call (Gemini sends one
 * whole) a single tool-call delta with its full arguments and the next index. Gemini has no terminal event: the event
 * whose candidate carries a {@code finishReason} ends the stream, so that event yields the finish chunk, the usage
 * chunk (when asked for) and {@code [DONE]}, and {@link #finished()} is true before the connection closes.
 */
final class GeminiStreamTranslator implements StreamTranslator {
    private final Target target;
    private final boolean clientWantsUsage;
    private final Supplier<String> fallbackId;
    private final long created;
    private String id;
    private String model;
    private int toolCalls;
    private boolean finished;
    private Usage usage;

    GeminiStreamTranslator(Target target, boolean clientWantsUsage, Supplier<String> fallbackId, long created) {
        this.target = target;
        this.clientWantsUsage = clientWantsUsage;
        this.fallbackId = fallbackId;
        this.created = created;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent event) {
        if (finished) {
            return List.of();
        }
        JsonNode root = GeminiResponse.event(event.data(), target);
        JsonNode candidate = root.path("candidates").path(0);
        if (candidate.isMissingNode() && root.path("promptFeedback").hasNonNull("blockReason")) {
            throw GeminiResponse.blockedOrEmpty(root.get("promptFeedback"), target, 200);
        }
        GeminiUsage.read(root.get("usageMetadata")).ifPresent(seen -> usage = seen);
        List<SseEvent> out = new ArrayList<>();
        if (id == null) {
            id = GeminiResponse.completionId(root, fallbackId.get());
            model = GeminiResponse.modelOf(root, target);
            ObjectNode delta = Json.object().put("role", "assistant").put("content", "");
            out.add(chunk(delta, null));
        }
        if (!candidate.isMissingNode()) {
            deltas(candidate, out);
        }
        return out;
    }

    private void deltas(JsonNode candidate, List<SseEvent> out) {
        CandidateParts parts = CandidateParts.read(candidate, target);
        if (!parts.reasoning().isEmpty()) {
            out.add(chunk(Json.object().put("reasoning_content", parts.reasoning()), null));
        }
        if (!parts.text().isEmpty()) {
            out.add(chunk(Json.object().put("content", parts.text()), null));
        }
        if (!parts.calls().isEmpty()) {
            ObjectNode delta = Json.object();
            ArrayNode calls = delta.putArray("tool_calls");
            for (CandidateParts.Call call : parts.calls()) {
                ObjectNode toolCall = CandidateParts.toolCall(call, CandidateParts.toolCallId(id, 0, toolCalls));
                calls.add(Json.object().put("index", toolCalls++).setAll(toolCall));
            }
            out.add(chunk(delta, null));
        }
        String reason = candidate.path("finishReason").asText("");
        if (!reason.isEmpty()) {
            out.add(chunk(Json.object(), CandidateParts.finishReason(reason, toolCalls > 0)));
            if (clientWantsUsage && usage != null) {
                out.add(SseEvent.data(Json.text(envelope(Json.MAPPER.createArrayNode())
                        .set("usage", GeminiUsage.json(usage)))));
            }
            out.add(SseEvent.data(SseEvent.DONE));
            finished = true;
        }
    }

    private SseEvent chunk(ObjectNode delta, String finishReason) {
        ArrayNode choices = Json.MAPPER.createArrayNode();
        ObjectNode choice = choices.addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return SseEvent.data(Json.text(envelope(choices)));
    }

    private ObjectNode envelope(ArrayNode choices) {
        ObjectNode chunk = Json.object().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
        chunk.set("choices", choices);
        return chunk;
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }
}
