package ai.higress.provider.anthropic;

import ai.higress.schema.Json;
import ai.higress.schema.Usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Anthropic's token counts. Anthropic reports uncached input, cache reads and cache writes apart, where OpenAI's
 * {@code prompt_tokens} counts them all; the sum is the prompt, reads become {@code cached_tokens} and writes
 * {@code cache_write_tokens}. In a stream, {@code message_start} carries the input counts and {@code message_delta}
 * the final (cumulative) output count, and may repeat the input counts: a later value replaces an earlier one.
 */
final class UsageCounts {
    private long input;
    private long cacheRead;
    private long cacheWrite;
    private long output;
    private boolean seen;

    /** Takes whatever counts {@code usage} (an Anthropic {@code usage} object) carries. */
    UsageCounts update(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return this;
        }
        seen = true;
        input = value(usage, "input_tokens", input);
        cacheRead = value(usage, "cache_read_input_tokens", cacheRead);
        cacheWrite = value(usage, "cache_creation_input_tokens", cacheWrite);
        output = value(usage, "output_tokens", output);
        return this;
    }

    private static long value(JsonNode usage, String field, long previous) {
        JsonNode value = usage.get(field);
        return value != null && value.isNumber() ? value.asLong() : previous;
    }

    java.util.Optional<Usage> usage() {
        if (!seen) {
            return java.util.Optional.empty();
        }
        long prompt = input + cacheRead + cacheWrite;
        return java.util.Optional.of(new Usage(prompt, output, prompt + output, cacheRead, 0, cacheWrite));
    }

    /** {@code usage} as an OpenAI chat {@code usage} object. */
    static ObjectNode openAi(Usage usage) {
        ObjectNode node = Json.object().put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens()).put("total_tokens", usage.totalTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens())
                .put("cache_write_tokens", usage.cacheWriteTokens());
        return node;
    }
}
