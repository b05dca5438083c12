package ai.higress.provider.gemini;

import java.util.Map;
import java.util.Set;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A canonical (OpenAI chat) body as a Gemini {@code GenerateContentRequest}. Every top-level parameter is in exactly
 * one of three sets: translated, accepted without being forwarded (bookkeeping Gemini has no place for), or refused
 * with a 400 that names it. A parameter in none of them (a vendor extension) is refused too: nothing reaches Gemini
 * that this class did not decide about. docs/providers.md has the table.
 */
final class GeminiRequest {
    /** Translated below (or, like the model and stream flag, by the adapter). */
    private static final Set<String> TRANSLATED = Set.of("model", "messages", "stream", "stream_options",
            "temperature", "top_p", "top_k", "max_tokens", "max_completion_tokens", "stop", "n", "seed",
            "presence_penalty", "frequency_penalty", "response_format", "tools", "tool_choice", "parallel_tool_calls",
            "reasoning_effort", "logprobs", "store", "service_tier", "modalities", "logit_bias");

    /** Accepted and not forwarded: identifiers for the caller's own bookkeeping, with no effect on the answer. */
    private static final Set<String> NOT_FORWARDED = Set.of("user", "metadata", "safety_identifier",
            "prompt_cache_key");

    /** Thinking budgets (tokens) for Gemini 2.x and older, which take a budget instead of a level. */
    private static final Map<String, Integer> BUDGETS = Map.of("none", 0, "minimal", 512, "low", 1024,
            "medium", 8192, "high", 24576);

    /** Thinking levels for Gemini 3 and later, which cannot switch thinking off: {@code none} is the least. */
    private static final Map<String, String> LEVELS = Map.of("none", "MINIMAL", "minimal", "MINIMAL", "low", "LOW",
            "medium", "MEDIUM", "high", "HIGH");

    private GeminiRequest() {
    }

    /** The Gemini request for {@code canonical}, sent to {@code model}. */
    static ObjectNode translate(ObjectNode canonical, String model, boolean stream) {
        for (Map.Entry<String, JsonNode> field : canonical.properties()) {
            String name = field.getKey();
            if (!TRANSLATED.contains(name) && !NOT_FORWARDED.contains(name) && !field.getValue().isNull()) {
                throw Refusals.unsupported(name, "The parameter '" + name + "' cannot be sent to a Gemini provider.");
            }
        }
        refuseUnsupportedValues(canonical);
        ObjectNode body = Json.object();
        GeminiContents.translate(canonical.get("messages"), GeminiModels.requiresThoughtSignatures(model), body);
        GeminiTools.translate(canonical, body);
        ObjectNode generation = generationConfig(canonical, model, stream);
        if (!generation.isEmpty()) {
            body.set("generationConfig", generation);
        }
        return body;
    }

    private static void refuseUnsupportedValues(ObjectNode canonical) {
        if (canonical.path("logprobs").asBoolean(false)) {
            throw Refusals.unsupported("logprobs", "Log probabilities are not available from Gemini providers "
                    + "through this gateway.");
        }
        if (canonical.path("store").asBoolean(false)) {
            throw Refusals.unsupported("store", "Gemini providers do not store completions; leave 'store' unset.");
        }
        if (canonical.hasNonNull("logit_bias") && !canonical.get("logit_bias").isEmpty()) {
            throw Refusals.unsupported("logit_bias", "Gemini providers have no logit bias.");
        }
        String tier = canonical.path("service_tier").asText("auto");
        if (!tier.equals("auto") && !tier.equals("default")) {
            throw Refusals.unsupported("service_tier", "Service tier '" + tier + "' cannot be asked of a Gemini "
                    + "provider.");
        }
        for (JsonNode modality : canonical.path("modalities")) {
            if (!"text".equals(modality.asText())) {
                throw Refusals.unsupported("modalities", "Gemini providers answer this gateway in text only.");
            }
        }
        for (Map.Entry<String, JsonNode> option : canonical.path("stream_options").properties()) {
            // usage is always reported; obfuscation padding guards OpenAI's own transport and has nothing to pad here
            if (!option.getKey().equals("include_usage") && !option.getKey().equals("include_obfuscation")) {
                throw Refusals.unsupported("stream_options." + option.getKey(), "The stream option '"
                        + option.getKey() + "' cannot be sent to a Gemini provider.");
            }
        }
    }

    private static ObjectNode generationConfig(ObjectNode canonical, String model, boolean stream) {
        ObjectNode config = Json.object();
        copyNumber(canonical, "temperature", config, "temperature");
        copyNumber(canonical, "top_p", config, "topP");
        copyNumber(canonical, "top_k", config, "topK");
        copyNumber(canonical, "seed", config, "seed");
        copyNumber(canonical, "presence_penalty", config, "presencePenalty");
        copyNumber(canonical, "frequency_penalty", config, "frequencyPenalty");
        copyNumber(canonical, canonical.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens",
                config, "maxOutputTokens");
        JsonNode stop = canonical.get("stop");
        if (stop != null && stop.isTextual()) {
            config.putArray("stopSequences").add(stop.asText());
        } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
            config.set("stopSequences", stop.deepCopy());
        }
        candidates(canonical, stream, config);
        responseFormat(canonical.get("response_format"), config);
        thinking(canonical.get("reasoning_effort"), model, config);
        return config;
    }

    private static void copyNumber(ObjectNode canonical, String from, ObjectNode config, String to) {
        JsonNode value = canonical.get(from);
        if (value != null && !value.isNull()) {
            if (!value.isNumber()) {
                throw Refusals.invalid(from, "Invalid type for '" + from + "': expected a number.");
            }
            config.set(to, value.deepCopy());
        }
    }

    private static void candidates(ObjectNode canonical, boolean stream, ObjectNode config) {
        int n = canonical.path("n").asInt(1);
        if (n > 1 && stream) {
            // a Gemini stream ends at the first finish reason: several interleaved choices cannot be relayed
            throw Refusals.unsupported("n", "A streamed request to a Gemini provider can have only one choice; "
                    + "set 'n' to 1 or do not stream.");
        }
        if (n > 1) {
            config.put("candidateCount", n);
        }
    }

    private static void responseFormat(JsonNode format, ObjectNode config) {
        if (format == null || format.isNull()) {
            return;
        }
        switch (format.path("type").asText()) {
            case "text" -> {
                // Gemini's default
            }
            case "json_object" -> config.put("responseMimeType", "application/json");
            case "json_schema" -> {
                config.put("responseMimeType", "application/json");
                JsonNode schema = format.path("json_schema").get("schema");
                if (schema != null && !schema.isNull()) {
                    config.set("responseSchema",
                            GeminiSchemas.convert(schema, "response_format.json_schema.schema"));
                }
            }
            default -> throw Refusals.unsupported("response_format.type", "Response format '"
                    + format.path("type").asText() + "' cannot be asked of a Gemini provider.");
        }
    }

    private static void thinking(JsonNode effort, String model, ObjectNode config) {
        if (effort == null || effort.isNull()) {
            return;
        }
        String value = effort.asText();
        if (!BUDGETS.containsKey(value)) {
            throw Refusals.invalid("reasoning_effort", "Invalid value for 'reasoning_effort': '" + value
                    + "'. Supported values are 'none', 'minimal', 'low', 'medium' and 'high'.");
        }
        ObjectNode thinking = config.putObject("thinkingConfig");
        if (GeminiModels.takesThinkingBudget(model)) {
            thinking.put("thinkingBudget", BUDGETS.get(value));
        } else {
            thinking.put("thinkingLevel", LEVELS.get(value));
        }
        // the reasoning the client asked for is returned as reasoning_content
        thinking.put("includeThoughts", !value.equals("none"));
    }
}
