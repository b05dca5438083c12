package ai.higress.responses;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import ai.higress.error.ErrorKind;
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
 * Turns a chat-completions chunk stream into the Responses API event sequence: {@code response.created} and
 * {@code response.in_progress} with the first chunk that names a model or carries a choice, then each output item
 * opened ({@code output_item.added}, its content parts), filled (text, refusal, reasoning and argument deltas) and
 * closed ({@code .done} events), and {@code response.completed} or {@code response.incomplete} with the whole response
 * once the upstream stream ended. Every event is named by its type and numbered from 0. Reasoning and message items
 * close when the next item opens; function calls stay open to the end, because some vendors interleave the arguments
 * of parallel calls.
 */
final class ResponsesStreamCodec implements StreamTranslator {
    private final ChatRequest request;
    private final StreamTranslator upstream;
    private final Clock clock;
    private final Supplier<String> ids;
    private final List<StreamedItem> items = new ArrayList<>();
    private final Map<Integer, StreamedItem> toolCalls = new HashMap<>();
    private ObjectNode response;
    private StreamedItem message;
    private StreamedItem reasoning;
    private String finishReason = "";
    private int sequence;
    private boolean finished;

    ResponsesStreamCodec(ChatRequest request, StreamTranslator upstream, Clock clock, Supplier<String> ids) {
        this.request = request;
        this.upstream = upstream;
        this.clock = clock;
        this.ids = ids;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent event) {
        List<SseEvent> out = new ArrayList<>();
        if (finished) {
            return out;
        }
        for (SseEvent chunk : upstream.onEvent(event)) {
            if (chunk.isDone()) {
                finish(out);
            } else if (!finished) {
                onChunk(parse(chunk.data()), out);
            }
        }
        if (upstream.finished() && !finished) {
            finish(out);
        }
        return out;
    }

    private void onChunk(JsonNode chunk, List<SseEvent> out) {
        String model = chunk.path("model").asText("");
        if (response == null && model.isEmpty() && chunk.path("choices").isEmpty()) {
            // an opening chunk naming nothing (Azure's, with only prompt_filter_results): the next one names the model
            return;
        }
        start(model.isEmpty() ? fallbackModel() : model, out);
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.isMissingNode() || choice.path("index").asInt(0) != 0) {
            return;
        }
        JsonNode delta = choice.path("delta");
        String thought = ResponsesCodec.reasoningText(delta);
        if (!thought.isEmpty()) {
            reasoningDelta(thought, out);
        }
        if (delta.path("content").isTextual() && !delta.path("content").asText().isEmpty()) {
            messageDelta("output_text", delta.path("content").asText(), out);
        }
        if (delta.path("refusal").isTextual() && !delta.path("refusal").asText().isEmpty()) {
            messageDelta("refusal", delta.path("refusal").asText(), out);
        }
        for (JsonNode call : delta.path("tool_calls")) {
            toolCallDelta(call, out);
        }
        if (choice.path("finish_reason").isTextual()) {
            finishReason = choice.path("finish_reason").asText();
        }
    }

    /** The model when the upstream names none: the one the target was asked for, or else the client's. */
    private String fallbackModel() {
        return upstream.upstreamModel().orElse(request.model());
    }

    private void start(String model, List<SseEvent> out) {
        if (response != null) {
            return;
        }
        response = ResponseObjects.inProgress(request, "resp_" + ids.get(), clock.instant().getEpochSecond(), model);
        emit(out, event("response.created").set("response", response.deepCopy()));
        emit(out, event("response.in_progress").set("response", response.deepCopy()));
    }

    private void reasoningDelta(String text, List<SseEvent> out) {
        if (reasoning == null) {
            closeMessage(out);
            reasoning = openItem(StreamedItem.Kind.REASONING, "rs_", "", out);
            startPart(reasoning, "reasoning_text", out);
        }
        reasoning.openPart().orElseThrow().text.append(text);
        emit(out, partEvent("response.reasoning_text.delta", reasoning, reasoning.openPart().orElseThrow())
                .put("delta", text));
    }

    private void messageDelta(String type, String text, List<SseEvent> out) {
        if (message == null) {
            closeReasoning(out);
            message = openItem(StreamedItem.Kind.MESSAGE, "msg_", "", out);
        }
        StreamedItem.Part part = message.openPart().filter(open -> open.type.equals(type)).orElse(null);
        if (part == null) {
            message.openPart().ifPresent(other -> endPart(message, other, out));
            part = startPart(message, type, out);
        }
        part.text.append(text);
        ObjectNode delta = partEvent(type.equals("refusal") ? "response.refusal.delta"
                : "response.output_text.delta", message, part).put("delta", text);
        if (type.equals("output_text")) {
            delta.putArray("logprobs");
        }
        emit(out, delta);
    }

    private void toolCallDelta(JsonNode call, List<SseEvent> out) {
        int index = call.path("index").asInt(toolCalls.size());
        JsonNode function = call.path("function");
        StreamedItem item = toolCalls.get(index);
        if (item == null) {
            closeReasoning(out);
            closeMessage(out);
            String callId = call.path("id").asText("");
            item = new StreamedItem(StreamedItem.Kind.FUNCTION_CALL, items.size(), "fc_" + ids.get(),
                    callId.isEmpty() ? "call_" + ids.get() : callId);
            item.name.append(function.path("name").asText(""));
            items.add(item);
            toolCalls.put(index, item);
            emit(out, itemEvent("response.output_item.added", item));
        } else if (item.name.isEmpty() && function.path("name").isTextual()) {
            item.name.append(function.path("name").asText());
        }
        String arguments = function.path("arguments").asText("");
        if (!arguments.isEmpty() && item.open()) {
            item.arguments.append(arguments);
            emit(out, event("response.function_call_arguments.delta").put("item_id", item.id)
                    .put("output_index", item.outputIndex).put("delta", arguments));
        }
    }

    private StreamedItem openItem(StreamedItem.Kind kind, String prefix, String callId, List<SseEvent> out) {
        StreamedItem item = new StreamedItem(kind, items.size(), prefix + ids.get(), callId);
        items.add(item);
        emit(out, itemEvent("response.output_item.added", item));
        return item;
    }

    private StreamedItem.Part startPart(StreamedItem item, String type, List<SseEvent> out) {
        StreamedItem.Part part = item.startPart(type);
        emit(out, partEvent("response.content_part.added", item, part).set("part", part.toJson()));
        return part;
    }

    private void endPart(StreamedItem item, StreamedItem.Part part, List<SseEvent> out) {
        String text = part.text.toString();
        ObjectNode done = switch (part.type) {
            case "refusal" -> partEvent("response.refusal.done", item, part).put("refusal", text);
            case "reasoning_text" -> partEvent("response.reasoning_text.done", item, part).put("text", text);
            default -> {
                ObjectNode textDone = partEvent("response.output_text.done", item, part).put("text", text);
                textDone.putArray("logprobs");
                yield textDone;
            }
        };
        emit(out, done);
        emit(out, partEvent("response.content_part.done", item, part).set("part", part.toJson()));
        item.endPart();
    }

    private void closeItem(StreamedItem item, String status, List<SseEvent> out) {
        if (!item.open()) {
            return;
        }
        item.openPart().ifPresent(part -> endPart(item, part, out));
        if (item.kind == StreamedItem.Kind.FUNCTION_CALL) {
            emit(out, event("response.function_call_arguments.done").put("item_id", item.id)
                    .put("output_index", item.outputIndex).put("name", item.name.toString())
                    .put("arguments", item.arguments.toString()));
        }
        item.close(status);
        emit(out, itemEvent("response.output_item.done", item));
    }

    private void closeMessage(List<SseEvent> out) {
        if (message != null) {
            closeItem(message, "completed", out);
            message = null;
        }
    }

    private void closeReasoning(List<SseEvent> out) {
        if (reasoning != null) {
            closeItem(reasoning, "completed", out);
            reasoning = null;
        }
    }

    /** Closes what is still open and sends the whole response; the status follows the chat finish reason. */
    private void finish(List<SseEvent> out) {
        start(fallbackModel(), out);
        boolean incomplete = ResponseObjects.incompleteReason(finishReason).isPresent();
        items.stream().sorted(Comparator.comparingInt(item -> item.outputIndex))
                .forEach(item -> closeItem(item, incomplete ? "incomplete" : "completed", out));
        ResponseObjects.finish(response, finishReason, items.stream().map(StreamedItem::toJson).toList(),
                upstream.usage(), clock.instant().getEpochSecond());
        emit(out, event(incomplete ? "response.incomplete" : "response.completed").set("response", response));
        finished = true;
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
        return WireProtocol.OPENAI_RESPONSES;
    }

    /** The API's {@code error} event, numbered after the events already sent; nothing follows it. */
    @Override
    public SseEvent errorEvent(UpstreamException failure) {
        ObjectNode error = event("error");
        failure.code().ifPresentOrElse(code -> error.put("code", code), () -> error.putNull("code"));
        error.put("message", failure.getMessage());
        failure.param().ifPresentOrElse(param -> error.put("param", param), () -> error.putNull("param"));
        error.put("sequence_number", sequence++);
        return SseEvent.named("error", Json.text(error));
    }

    private static ObjectNode event(String type) {
        return Json.object().put("type", type);
    }

    private static ObjectNode itemEvent(String type, StreamedItem item) {
        ObjectNode event = event(type).put("output_index", item.outputIndex);
        event.set("item", item.toJson());
        return event;
    }

    private static ObjectNode partEvent(String type, StreamedItem item, StreamedItem.Part part) {
        return event(type).put("item_id", item.id).put("output_index", item.outputIndex)
                .put("content_index", part.index);
    }

    private void emit(List<SseEvent> out, ObjectNode event) {
        event.put("sequence_number", sequence++);
        out.add(SseEvent.named(event.path("type").asText(), Json.text(event)));
    }

    private static JsonNode parse(String data) {
        return UpstreamJson.object(data).orElseThrow(() -> UpstreamException.transport(ErrorKind.PROTOCOL,
                "a chat chunk for a Responses client is not JSON"));
    }
}
