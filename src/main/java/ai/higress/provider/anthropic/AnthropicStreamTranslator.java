package ai.higress.provider.anthropic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamJson;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;
import ai.higress.stream.SseEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Anthropic stream events as OpenAI chat chunks. Every chunk carries the message id and model from
 * {@code message_start}; the first one also carries the assistant role. Nothing is emitted before the first content
 * (or the end), so an {@code error} event right after {@code message_start} still fails over before the commit
 * point. Each {@code tool_use} block gets the next {@code tool_calls[].index} in order of appearance (Anthropic's
 * block index counts text and thinking blocks too), its id and name in its first chunk and then its
 * {@code input_json_delta} fragments as argument deltas. Thinking arrives as {@code reasoning_content} deltas. The
 * finish reason comes with {@code message_delta}; {@code message_stop} adds the usage chunk (when the client asked for
 * it) and {@code [DONE]}.
 */
final class AnthropicStreamTranslator implements StreamTranslator {
    private final Target target;
    private final boolean includeUsage;
    private final boolean jsonMode;
    private final long created;
    private final UsageCounts usage = new UsageCounts();
    /** Anthropic content block index -> OpenAI tool-call index, for tool_use blocks. */
    private final Map<Integer, Integer> toolIndexes = new HashMap<>();
    private String id = "";
    private String model = "";
    private boolean roleSent;
    private boolean finishSent;
    private boolean finished;

    AnthropicStreamTranslator(Target target, boolean includeUsage, boolean jsonMode, long created) {
        this.target = target;
        this.includeUsage = includeUsage;
        this.jsonMode = jsonMode;
        this.created = created;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent event) {
        if (finished) {
            return List.of();
        }
        JsonNode data = UpstreamJson.event(event.data(), target);
        return switch (data.path("type").asText("")) {
            case "message_start" -> messageStart(data.path("message"));
            case "content_block_start" -> blockStart(data.path("index").asInt(), data.path("content_block"));
            case "content_block_delta" -> blockDelta(data.path("index").asInt(), data.path("delta"));
            case "message_delta" -> messageDelta(data);
            case "message_stop" -> messageStop();
            case "error" -> throw AnthropicErrors.fromErrorObject(target, data);
            default -> List.of(); // ping, content_block_stop, and event types added to the API later
        };
    }

    private List<SseEvent> messageStart(JsonNode message) {
        id = message.path("id").asText("");
        model = message.path("model").asText(target.upstreamModel());
        usage.update(message.get("usage"));
        return List.of();
    }

    private List<SseEvent> blockStart(int index, JsonNode block) {
        String type = block.path("type").asText("");
        if (type.equals("text") && !block.path("text").asText("").isEmpty()) {
            return content(block.path("text").asText());
        }
        if (!type.equals("tool_use") || jsonMode && ToolMapping.JSON_TOOL.equals(block.path("name").asText())) {
            return List.of();
        }
        int toolIndex = toolIndexes.size();
        toolIndexes.put(index, toolIndex);
        ObjectNode call = Json.object().put("index", toolIndex).put("id", block.path("id").asText(""))
                .put("type", "function");
        call.putObject("function").put("name", block.path("name").asText("")).put("arguments", "");
        ObjectNode delta = delta();
        delta.putArray("tool_calls").add(call);
        return List.of(chunk(delta, null));
    }

    private List<SseEvent> blockDelta(int index, JsonNode delta) {
        switch (delta.path("type").asText("")) {
            case "text_delta" -> {
                return content(delta.path("text").asText(""));
            }
            case "thinking_delta" -> {
                String thinking = delta.path("thinking").asText("");
                return thinking.isEmpty() ? List.of() : List.of(chunk(delta().put("reasoning_content", thinking),
                        null));
            }
            case "input_json_delta" -> {
                return arguments(index, delta.path("partial_json").asText(""));
            }
            default -> {
                return List.of(); // signature_delta, citations_delta
            }
        }
    }

    private List<SseEvent> arguments(int index, String fragment) {
        if (fragment.isEmpty()) {
            return List.of();
        }
        Integer toolIndex = toolIndexes.get(index);
        if (toolIndex == null) {
            // the forced JSON tool's input is the answer itself
            return jsonMode ? content(fragment) : List.of();
        }
        ObjectNode call = Json.object().put("index", toolIndex);
        call.putObject("function").put("arguments", fragment);
        ObjectNode delta = delta();
        delta.putArray("tool_calls").add(call);
        return List.of(chunk(delta, null));
    }

    private List<SseEvent> content(String text) {
        return text.isEmpty() ? List.of() : List.of(chunk(delta().put("content", text), null));
    }

    private List<SseEvent> messageDelta(JsonNode data) {
        usage.update(data.get("usage"));
        JsonNode stopReason = data.path("delta").path("stop_reason");
        if (stopReason.isMissingNode() || stopReason.isNull() || finishSent) {
            return List.of();
        }
        finishSent = true;
        return List.of(chunk(delta(), StopReasons.finishReason(stopReason.asText(), jsonMode)));
    }

    private List<SseEvent> messageStop() {
        finished = true;
        List<SseEvent> events = new ArrayList<>();
        if (!finishSent) {
            finishSent = true;
            events.add(chunk(delta(), "stop"));
        }
        Optional<Usage> counts = usage.usage();
        if (includeUsage && counts.isPresent()) {
            ObjectNode last = header();
            last.putArray("choices");
            last.set("usage", UsageCounts.openAi(counts.get()));
            events.add(SseEvent.data(Json.text(last)));
        }
        events.add(SseEvent.data(SseEvent.DONE));
        return events;
    }

    /** A new delta; the first one of the stream names the role. */
    private ObjectNode delta() {
        ObjectNode delta = Json.object();
        if (!roleSent) {
            roleSent = true;
            delta.put("role", "assistant");
        }
        return delta;
    }

    private SseEvent chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = header();
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.put("finish_reason", finishReason);
        return SseEvent.data(Json.text(chunk));
    }

    private ObjectNode header() {
        return Json.object().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public Optional<Usage> usage() {
        return usage.usage();
    }
}
