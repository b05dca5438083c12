package ai.higress.responses;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.ChatResult;
import ai.higress.provider.ClientCodec;
import ai.higress.provider.StreamTranslator;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;
import ai.higress.schema.WireProtocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Answers Responses API clients from chat completions: a completion becomes a Response object, a chunk stream the
 * Responses event sequence ({@link ResponsesStreamCodec}). Ids are the API's kinds ({@code resp_}, {@code msg_},
 * {@code fc_}, {@code rs_}) over fresh random text; a function call keeps the chat tool call's id as its
 * {@code call_id}, so the client's {@code function_call_output} names the id the model knows.
 */
public final class ResponsesCodec implements ClientCodec {
    private final Clock clock;
    private final Supplier<String> ids;

    /**
     * @param clock the time of {@code created_at} and {@code completed_at}
     * @param ids   random text for ids (a new value per call)
     */
    public ResponsesCodec(Clock clock, Supplier<String> ids) {
        this.clock = clock;
        this.ids = ids;
    }

    /** Random ids: 32 hexadecimal characters of a random UUID. */
    public static Supplier<String> randomIds() {
        return () -> java.util.UUID.randomUUID().toString().replace("-", "");
    }

    @Override
    public ChatResult fromChat(ChatRequest request, ChatResult result) {
        JsonNode completion = completion(result.body());
        JsonNode message = completion.path("choices").path(0).path("message");
        long now = clock.instant().getEpochSecond();
        ObjectNode response = ResponseObjects.inProgress(request, "resp_" + ids.get(), now,
                completion.path("model").asText(request.model()));
        List<ObjectNode> output = new ArrayList<>();
        String reasoning = reasoningText(message);
        if (!reasoning.isEmpty()) {
            output.add(ResponseObjects.reasoning("rs_" + ids.get(), "completed",
                    List.of(ResponseObjects.reasoningText(reasoning))));
        }
        String status = ResponseObjects.incompleteReason(result.finishReason()).isPresent() ? "incomplete"
                : "completed";
        List<ObjectNode> parts = new ArrayList<>();
        if (message.path("content").isTextual() && !message.path("content").asText().isEmpty()) {
            parts.add(ResponseObjects.outputText(message.path("content").asText()));
        }
        if (message.path("refusal").isTextual() && !message.path("refusal").asText().isEmpty()) {
            parts.add(ResponseObjects.refusal(message.path("refusal").asText()));
        }
        if (!parts.isEmpty()) {
            output.add(ResponseObjects.message("msg_" + ids.get(), status, parts));
        }
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            output.add(ResponseObjects.functionCall("fc_" + ids.get(), "completed", callId(call),
                    function.path("name").asText(""), function.path("arguments").asText("")));
        }
        ResponseObjects.finish(response, result.finishReason(), output, result.usage(), now);
        return new ChatResult(Json.bytes(response), result.usage(), result.finishReason(),
                WireProtocol.OPENAI_RESPONSES);
    }

    @Override
    public StreamTranslator fromChatStream(ChatRequest request, StreamTranslator upstream) {
        return new ResponsesStreamCodec(request, upstream, clock, ids);
    }

    /** The model's reasoning text, as reasoning vendors name it in a message or a delta. */
    static String reasoningText(JsonNode message) {
        for (String field : new String[] {"reasoning_content", "reasoning"}) {
            if (message.path(field).isTextual()) {
                return message.path(field).asText();
            }
        }
        return "";
    }

    private String callId(JsonNode call) {
        String id = call.path("id").asText("");
        return id.isEmpty() ? "call_" + ids.get() : id;
    }

    private static JsonNode completion(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.path("choices").path(0).path("message").isObject()) {
            // inside the attempt: another target may still answer
            throw UpstreamException.transport(ErrorKind.PROTOCOL,
                    "the upstream's chat completion has no message to answer a Responses client with");
        }
        return root;
    }
}
