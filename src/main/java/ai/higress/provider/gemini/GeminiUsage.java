package ai.higress.provider.gemini;

import java.util.Optional;

import ai.higress.schema.Json;
import ai.higress.schema.Usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Gemini's {@code usageMetadata} in OpenAI's terms. Prompt tokens include those of tool-use prompts; completion tokens
 * include the thinking tokens, as OpenAI counts reasoning inside completion tokens, and are also reported as
 * {@code reasoning_tokens}; cached content tokens are {@code cached_tokens}.
 */
final class GeminiUsage {

    private GeminiUsage() {
    }

    static Optional<Usage> read(JsonNode metadata) {
        if (metadata == null || !metadata.isObject()) {
            return Optional.empty();
        }
        long prompt = metadata.path("promptTokenCount").asLong(0) + metadata.path("toolUsePromptTokenCount").asLong(0);
        long thoughts = metadata.path("thoughtsTokenCount").asLong(0);
        long completion = metadata.path("candidatesTokenCount").asLong(0) + thoughts;
        long total = metadata.path("totalTokenCount").asLong(prompt + completion);
        return Optional.of(new Usage(prompt, completion, total, metadata.path("cachedContentTokenCount").asLong(0),
                thoughts));
    }

    /** The OpenAI {@code usage} object. */
    static ObjectNode json(Usage usage) {
        ObjectNode node = Json.object()
                .put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.totalTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
        node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        return node;
    }
}
