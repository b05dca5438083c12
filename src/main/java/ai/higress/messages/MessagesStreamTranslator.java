package ai.higress.messages;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.error.AnthropicErrorEnvelope;
import ai.higress.error.UpstreamException;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.UpstreamJson;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;
import ai.higress.stream.SseEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns the OpenAI chat chunks of a wrapped translator into Anthropic's event sequence: {@code message_start} on the
 * first chunk that names a model or carries a choice (its model, else the target's), one content block at a time
 * ({@code content_block_start}, deltas, {@code content_block_stop}) with increasing indices, a new block whenever the
 * kind of delta changes (thinking, text, each tool call), and at the end {@code message_delta} (stop reason, usage)
 * and {@code message_stop}. No {@code ping} events are sent.
 */
final class MessagesStreamTranslator implements StreamTranslator {

    private enum Block { NONE, THINKING, TEXT, TOOL }

    private final ChatRequest request;
    private final StreamTranslator upstream;
    private final ToolCallBlocks tools = new ToolCallBlocks();
    private boolean started;
    private boolean finished;
    private Block open = Block.NONE;
    private int nextIndex;
    private ToolCallBlocks.Call openCall;
    private String messageId = "";
    private String finishReason = "";
    private Optional<String> matchedStop = Optional.empty();
    private boolean refused;

    MessagesStreamTranslator(ChatRequest request, StreamTranslator upstream) {
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
            translate(parse(chunk.data()), out);
        }
        if (upstream.finished()) {
            finish(out);
        }
        return out;
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
        return WireProtocol.ANTHROPIC_MESSAGES;
    }

    @Override
    public SseEvent errorEvent(UpstreamException failure) {
        return SseEvent.named("error", Json.text(AnthropicErrorEnvelope.of(failure)));
    }

    private void translate(JsonNode chunk, List<SseEvent> out) {
        if (!started && AnthropicWire.text(chunk, "model").isEmpty() && chunk.path("choices").isEmpty()) {
            // an opening chunk naming nothing (Azure's, with only prompt_filter_results): the next one names the model
            return;
        }
        start(chunk, out);
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) == 0) {
                choice(choice, out);
            }
        }
    }

    private void choice(JsonNode choice, List<SseEvent> out) {
        JsonNode delta = choice.path("delta");
        String reasoning = AnthropicWire.reasoning(delta);
        if (!reasoning.isEmpty()) {
            open(Block.THINKING, out);
            delta(out, Json.object().put("type", "thinking_delta").put("thinking", reasoning));
        }
        String text = AnthropicWire.text(delta, "content");
        String refusal = AnthropicWire.text(delta, "refusal");
        refused |= !refusal.isEmpty();
        for (String part : new String[] {text, refusal}) {
            if (!part.isEmpty()) {
                open(Block.TEXT, out);
                delta(out, Json.object().put("type", "text_delta").put("text", part));
            }
        }
        JsonNode calls = delta.path("tool_calls");
        for (int i = 0; i < calls.size(); i++) {
            toolCall(calls.get(i), i, out);
        }
        if (choice.path("finish_reason").isTextual()) {
            finishReason = choice.get("finish_reason").textValue();
            matchedStop = AnthropicWire.matchedStop(choice, request);
            closeAll(out);
        }
    }

    /**
     * A tool call's first delta starts a {@code tool_use} block and the rest add JSON to it, as they come. A call
     * whose deltas arrive while another call's block is open (servers that interleave parallel calls) waits, and gets
     * its block, with the arguments gathered so far, once the open call's arguments are complete.
     */
    private void toolCall(JsonNode call, int position, List<SseEvent> out) {
        int key = call.path("index").asInt(position);
        JsonNode function = call.path("function");
        String id = AnthropicWire.text(call, "id");
        String arguments = AnthropicWire.text(function, "arguments");
        ToolCallBlocks.Call state = tools.add(key, id.isEmpty() ? "toolu_" + messageId.substring(4) + "_" + key : id,
                AnthropicWire.text(function, "name"), arguments);
        if (open == Block.TOOL && state == openCall) {
            json(arguments, out);
        } else if (open != Block.TOOL && !state.started) {
            startTool(state, out);
        }
        while (open == Block.TOOL && tools.waiting().isPresent() && openCall.complete()) {
            startTool(tools.waiting().get(), out);
        }
    }

    private void startTool(ToolCallBlocks.Call call, List<SseEvent> out) {
        close(out);
        begin(Block.TOOL, call.block, out);
        openCall = call;
        call.started = true;
        json(call.arguments.toString(), out);
    }

    private void json(String partial, List<SseEvent> out) {
        if (!partial.isEmpty()) {
            delta(out, Json.object().put("type", "input_json_delta").put("partial_json", partial));
        }
    }

    private void start(JsonNode chunk, List<SseEvent> out) {
        if (started) {
            return;
        }
        started = true;
        messageId = AnthropicWire.messageId(AnthropicWire.text(chunk, "id"));
        String model = AnthropicWire.text(chunk, "model");
        ObjectNode message = Json.object().put("id", messageId).put("type", "message").put("role", "assistant")
                .put("model", model.isEmpty() ? upstream.upstreamModel().orElse(request.model()) : model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        // usage is normally known only at the end: zeros here, the real numbers in message_delta
        AnthropicWire.usage(message.putObject("usage"), upstream.usage());
        ObjectNode event = Json.object().put("type", "message_start");
        event.set("message", message);
        out.add(SseEvent.named("message_start", Json.text(event)));
    }

    private void open(Block kind, List<SseEvent> out) {
        if (open == kind) {
            return;
        }
        closeAll(out);
        ObjectNode block = kind == Block.TEXT ? Json.object().put("type", "text").put("text", "")
                : Json.object().put("type", "thinking").put("thinking", "").put("signature", "");
        begin(kind, block, out);
    }

    private void begin(Block kind, ObjectNode block, List<SseEvent> out) {
        ObjectNode event = Json.object().put("type", "content_block_start").put("index", nextIndex);
        event.set("content_block", block);
        out.add(SseEvent.named("content_block_start", Json.text(event)));
        open = kind;
        nextIndex++;
    }

    private void delta(List<SseEvent> out, ObjectNode delta) {
        ObjectNode event = Json.object().put("type", "content_block_delta").put("index", nextIndex - 1);
        event.set("delta", delta);
        out.add(SseEvent.named("content_block_delta", Json.text(event)));
    }

    /** Closes the open block, and gives every tool call still waiting its block, whole. */
    private void closeAll(List<SseEvent> out) {
        close(out);
        while (tools.waiting().isPresent()) {
            startTool(tools.waiting().get(), out);
            close(out);
        }
    }

    private void close(List<SseEvent> out) {
        if (open == Block.NONE) {
            return;
        }
        if (open == Block.TOOL) {
            openCall.closed = true;
        }
        out.add(SseEvent.named("content_block_stop",
                Json.text(Json.object().put("type", "content_block_stop").put("index", nextIndex - 1))));
        open = Block.NONE;
    }

    private void finish(List<SseEvent> out) {
        start(Json.object(), out);
        closeAll(out);
        ObjectNode event = Json.object().put("type", "message_delta");
        ObjectNode delta = event.putObject("delta")
                .put("stop_reason", refused ? "refusal" : AnthropicWire.stopReason(finishReason, matchedStop));
        matchedStop.ifPresentOrElse(stop -> delta.put("stop_sequence", stop), () -> delta.putNull("stop_sequence"));
        AnthropicWire.usage(event.putObject("usage"), upstream.usage());
        out.add(SseEvent.named("message_delta", Json.text(event)));
        out.add(SseEvent.named("message_stop", Json.text(Json.object().put("type", "message_stop"))));
        finished = true;
    }

    private static JsonNode parse(String data) {
        return UpstreamJson.object(data)
                .orElseThrow(() -> AnthropicWire.protocolError("a stream chunk is not a JSON object"));
    }
}
