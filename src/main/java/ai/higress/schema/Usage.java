package ai.higress.schema;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/** Token usage of one completion, normalised across providers. */
public record Usage(long promptTokens, long completionTokens, long totalTokens, long cachedTokens,
                    long reasoningTokens) {

    /** Reads an OpenAI-style {@code usage} object; empty when it is missing or null. */
    public static Optional<Usage> fromOpenAi(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Optional.empty();
        }
        long prompt = usage.path("prompt_tokens").asLong(0);
        long completion = usage.path("completion_tokens").asLong(0);
        long total = usage.path("total_tokens").asLong(prompt + completion);
        return Optional.of(new Usage(prompt, completion, total,
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(0),
                usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0)));
    }

    /** Reads an OpenAI Responses API {@code usage} object; empty when it is missing or null. */
    public static Optional<Usage> fromResponses(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Optional.empty();
        }
        long input = usage.path("input_tokens").asLong(0);
        long output = usage.path("output_tokens").asLong(0);
        return Optional.of(new Usage(input, output, usage.path("total_tokens").asLong(input + output),
                usage.path("input_tokens_details").path("cached_tokens").asLong(0),
                usage.path("output_tokens_details").path("reasoning_tokens").asLong(0)));
    }
}
