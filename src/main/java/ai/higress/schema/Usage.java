package ai.higress.schema;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Token usage of one completion, normalised across providers. Prompt tokens count every input token, those read
 * from and written to a prompt cache included, as OpenAI reports them; vendors that report the cached parts apart
 * (Anthropic) are summed up by their adapter.
 *
 * @param promptTokens     every input token
 * @param completionTokens every output token, reasoning included
 * @param totalTokens      prompt plus completion tokens
 * @param cachedTokens     input tokens read from a prompt cache (part of {@code promptTokens})
 * @param reasoningTokens  output tokens spent on reasoning (part of {@code completionTokens})
 * @param cacheWriteTokens input tokens written to a prompt cache (part of {@code promptTokens}); 0 when the vendor
 *                         does not report them
 */
public record Usage(long promptTokens, long completionTokens, long totalTokens, long cachedTokens,
                    long reasoningTokens, long cacheWriteTokens) {

    /** Usage without cache writes. */
    public Usage(long promptTokens, long completionTokens, long totalTokens, long cachedTokens, long reasoningTokens) {
        this(promptTokens, completionTokens, totalTokens, cachedTokens, reasoningTokens, 0);
    }

    /** Reads an OpenAI-style {@code usage} object; empty when it is missing or null. */
    public static Optional<Usage> fromOpenAi(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Optional.empty();
        }
        long prompt = usage.path("prompt_tokens").asLong(0);
        long completion = usage.path("completion_tokens").asLong(0);
        long total = usage.path("total_tokens").asLong(prompt + completion);
        JsonNode promptDetails = usage.path("prompt_tokens_details");
        return Optional.of(new Usage(prompt, completion, total, promptDetails.path("cached_tokens").asLong(0),
                usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0),
                promptDetails.path("cache_write_tokens").asLong(0)));
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
