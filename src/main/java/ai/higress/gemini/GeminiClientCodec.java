package ai.higress.gemini;

import ai.higress.provider.ChatResult;
import ai.higress.provider.ClientCodec;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.UpstreamJson;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;
import ai.higress.schema.WireProtocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Canonical (OpenAI chat) answers as the Gemini API gives them: a completion becomes one
 * {@code GenerateContentResponse}, a chunk stream a sequence of them ({@link GeminiChunkStream}). Reasoning text
 * becomes a {@code thought} part, as Gemini marks thoughts it was asked to include.
 */
public final class GeminiClientCodec implements ClientCodec {

    @Override
    public ChatResult fromChat(ChatRequest request, ChatResult result) {
        JsonNode completion = UpstreamJson.object(result.body())
                .orElseThrow(() -> GeminiWire.protocolError("the completion is not a JSON object"));
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        ArrayNode parts = Json.MAPPER.createArrayNode();
        String reasoning = GeminiWire.text(message, "reasoning_content");
        if (!reasoning.isEmpty()) {
            parts.addObject().put("text", reasoning).put("thought", true);
        }
        String text = content(message.path("content")) + GeminiWire.text(message, "refusal");
        if (!text.isEmpty()) {
            parts.addObject().put("text", text);
        }
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            parts.add(GeminiWire.functionCall(GeminiWire.text(call, "id"), GeminiWire.text(function, "name"),
                    function.path("arguments")));
        }
        String model = GeminiWire.text(completion, "model");
        ObjectNode out = GeminiWire.response(parts, model.isEmpty() ? request.model() : model,
                GeminiWire.text(completion, "id"));
        GeminiWire.candidate(out).put("finishReason",
                GeminiWire.finishReason(GeminiWire.text(choice, "finish_reason")));
        result.usage().ifPresent(usage -> out.set("usageMetadata", GeminiWire.usageMetadata(usage)));
        return new ChatResult(Json.bytes(out), result.usage(), result.finishReason(), WireProtocol.GEMINI);
    }

    @Override
    public StreamTranslator fromChatStream(ChatRequest request, StreamTranslator upstream) {
        return new GeminiChunkStream(request, upstream);
    }

    private static String content(JsonNode content) {
        if (content.isTextual()) {
            return content.textValue();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(GeminiWire.text(part, "text"));
        }
        return text.toString();
    }
}
