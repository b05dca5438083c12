package ai.higress.messages;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the complete and the streamed answer share: ids, stop reasons, usage and text fields of a chat answer. */
final class AnthropicWire {
    private static final String CHAT_ID_PREFIX = "chatcmpl-";

    private AnthropicWire() {
    }

    /** A Messages id ({@code msg_...}) derived from the chat completion's id, so logs of both sides correlate. */
    static String messageId(String chatId) {
        if (chatId.isEmpty()) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            return "msg_" + HexFormat.of().toHexDigits(random.nextLong())
                    + HexFormat.of().toHexDigits(random.nextLong());
        }
        return "msg_" + (chatId.startsWith(CHAT_ID_PREFIX) ? chatId.substring(CHAT_ID_PREFIX.length()) : chatId);
    }

    /**
     * The stop sequence that ended the answer. OpenAI does not say which one matched; only an upstream that names it
     * (vLLM's {@code stop_reason} on the choice) lets the answer end with {@code stop_sequence}.
     */
    static Optional<String> matchedStop(JsonNode choice, ChatRequest request) {
        JsonNode named = choice.path("stop_reason");
        if (!named.isTextual() || !"stop".equals(choice.path("finish_reason").asText())) {
            return Optional.empty();
        }
        for (JsonNode stop : request.clientBody().path("stop_sequences")) {
            if (stop.isTextual() && stop.textValue().equals(named.textValue())) {
                return Optional.of(named.textValue());
            }
        }
        return Optional.empty();
    }

    /** Anthropic's {@code stop_reason} for an OpenAI finish reason. */
    static String stopReason(String finishReason, Optional<String> matchedStop) {
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> matchedStop.isPresent() ? "stop_sequence" : "end_turn";
        };
    }

    /**
     * Writes Anthropic's usage fields. Anthropic counts cache reads apart from {@code input_tokens}, OpenAI counts
     * them inside {@code prompt_tokens}: the cached part moves to {@code cache_read_input_tokens}.
     */
    static ObjectNode usage(ObjectNode target, Optional<Usage> usage) {
        long prompt = usage.map(Usage::promptTokens).orElse(0L);
        long cached = Math.min(prompt, usage.map(Usage::cachedTokens).orElse(0L));
        target.put("input_tokens", prompt - cached);
        target.put("cache_creation_input_tokens", 0);
        target.put("cache_read_input_tokens", cached);
        target.put("output_tokens", usage.map(Usage::completionTokens).orElse(0L));
        return target;
    }

    /** Reasoning text of a message or delta: {@code reasoning_content} (DeepSeek and others) or {@code reasoning}. */
    static String reasoning(JsonNode message) {
        JsonNode reasoning = message.path("reasoning_content");
        if (!reasoning.isTextual()) {
            reasoning = message.path("reasoning");
        }
        return reasoning.isTextual() ? reasoning.textValue() : "";
    }

    /** A string field's text, empty when absent, null or not a string. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.textValue() : "";
    }

    static UpstreamException protocolError(String problem) {
        return UpstreamException.transport(ErrorKind.PROTOCOL, "the upstream's answer cannot be translated to the "
                + "Messages API: " + problem);
    }
}
