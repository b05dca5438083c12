package ai.higress.messages;

import java.io.IOException;
import java.util.Optional;

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
 * Canonical (OpenAI chat) answers as the Messages API gives them: a complete completion becomes one {@code message}
 * object, a chunk stream becomes Anthropic's event sequence ({@link MessagesStreamTranslator}). An answer that cannot
 * be expressed (tool arguments that are not a JSON object) is an upstream protocol error, which fails over like any
 * other broken answer.
 */
public final class AnthropicMessagesCodec implements ClientCodec {

    @Override
    public ChatResult fromChat(ChatRequest request, ChatResult result) {
        JsonNode completion = parse(result.body());
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        ObjectNode out = Json.object();
        out.put("id", AnthropicWire.messageId(AnthropicWire.text(completion, "id")));
        out.put("type", "message");
        out.put("role", "assistant");
        String model = AnthropicWire.text(completion, "model");
        out.put("model", model.isEmpty() ? request.model() : model);
        ArrayNode content = out.putArray("content");
        String reasoning = AnthropicWire.reasoning(message);
        if (!reasoning.isEmpty()) {
            content.addObject().put("type", "thinking").put("thinking", reasoning).put("signature", "");
        }
        String text = content(message.path("content"));
        if (!text.isEmpty()) {
            content.addObject().put("type", "text").put("text", text);
        }
        String refusal = AnthropicWire.text(message, "refusal");
        if (!refusal.isEmpty()) {
            content.addObject().put("type", "text").put("text", refusal);
        }
        toolUses(message, content);
        Optional<String> matched = AnthropicWire.matchedStop(choice, request);
        String finish = AnthropicWire.text(choice, "finish_reason");
        out.put("stop_reason", refusal.isEmpty() ? AnthropicWire.stopReason(finish, matched) : "refusal");
        matched.ifPresentOrElse(stop -> out.put("stop_sequence", stop), () -> out.putNull("stop_sequence"));
        AnthropicWire.usage(out.putObject("usage"), result.usage());
        return new ChatResult(Json.bytes(out), result.usage(), result.finishReason(),
                WireProtocol.ANTHROPIC_MESSAGES);
    }

    @Override
    public StreamTranslator fromChatStream(ChatRequest request, StreamTranslator upstream) {
        return new MessagesStreamTranslator(request, upstream);
    }

    private static JsonNode parse(byte[] body) {
        return UpstreamJson.object(body)
                .orElseThrow(() -> AnthropicWire.protocolError("the completion is not a JSON object"));
    }

    /** Message content as text: a string, or the text of an array of content parts. */
    private static String content(JsonNode content) {
        if (content.isTextual()) {
            return content.textValue();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(AnthropicWire.text(part, "text"));
        }
        return text.toString();
    }

    private static void toolUses(JsonNode message, ArrayNode content) {
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            String name = AnthropicWire.text(function, "name");
            content.addObject().put("type", "tool_use").put("id", AnthropicWire.text(call, "id")).put("name", name)
                    .set("input", input(name, function.path("arguments")));
        }
        JsonNode legacy = message.path("function_call");
        if (legacy.isObject()) {
            String name = AnthropicWire.text(legacy, "name");
            content.addObject().put("type", "tool_use").put("id", "toolu_function_call").put("name", name)
                    .set("input", input(name, legacy.path("arguments")));
        }
    }

    /** Tool arguments (a JSON string in chat completions) as the object Anthropic's {@code input} is. */
    static ObjectNode input(String tool, JsonNode arguments) {
        if (arguments.isObject()) {
            return (ObjectNode) arguments.deepCopy();
        }
        String text = arguments.isTextual() ? arguments.textValue() : "";
        if (text.isBlank()) {
            return Json.object();
        }
        try {
            JsonNode parsed = Json.MAPPER.readTree(text);
            if (parsed != null && parsed.isObject()) {
                return (ObjectNode) parsed;
            }
        } catch (IOException e) {
            // reported below
        }
        throw AnthropicWire.protocolError("the arguments of the call of tool '" + tool + "' are not a JSON object");
    }
}
