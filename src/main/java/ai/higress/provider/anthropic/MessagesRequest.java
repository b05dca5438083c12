package ai.higress.provider.anthropic;

import java.util.Map;
import java.util.Set;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds an Anthropic Messages body from a canonical (OpenAI chat) body through an explicit parameter table: each
 * parameter is translated, accepted only at its default value, or refused with a 400 naming it. Nothing is forwarded
 * blindly and nothing is dropped silently; the only parameter knowingly ignored is {@code prompt_cache_key}, a
 * caching hint that has no effect on the answer (Anthropic caches by {@code cache_control} markers instead).
 */
final class MessagesRequest {
    /** Parameters translated below. */
    private static final Set<String> TRANSLATED = Set.of("model", "messages", "stream", "stream_options",
            "max_tokens", "max_completion_tokens", "temperature", "top_p", "top_k", "stop", "tools", "tool_choice",
            "parallel_tool_calls", "response_format", "reasoning_effort", "user", "safety_identifier", "service_tier",
            "prompt_cache_key");

    /** Parameters accepted only at their default value, with the reason any other value is refused. */
    private static final Map<String, String> DEFAULT_ONLY = Map.ofEntries(
            Map.entry("n", "Anthropic returns one choice per request"),
            Map.entry("logprobs", "Anthropic does not return log probabilities"),
            Map.entry("top_logprobs", "Anthropic does not return log probabilities"),
            Map.entry("logit_bias", "Anthropic has no token biasing"),
            Map.entry("presence_penalty", "Anthropic has no presence penalty"),
            Map.entry("frequency_penalty", "Anthropic has no frequency penalty"),
            Map.entry("store", "Anthropic does not store completions"),
            Map.entry("metadata", "Anthropic metadata carries only a user id (send 'user')"),
            Map.entry("modalities", "Anthropic models answer in text only"));

    private MessagesRequest() {
    }

    /** The Anthropic body for {@code canonical}, sent to {@code model} with {@code defaultMaxTokens} when unset. */
    static ObjectNode of(ObjectNode canonical, String model, boolean stream, int defaultMaxTokens) {
        checkParameters(canonical);
        Thinking thinking = Thinking.of(canonical, defaultMaxTokens);
        ObjectNode out = Json.object().put("model", model).put("max_tokens", thinking.maxTokens());
        Conversation conversation = Conversation.of(canonical.get("messages"));
        thinking.checkToolLoop(conversation.turns());
        if (!conversation.system().isEmpty()) {
            out.set("system", system(conversation));
        }
        out.set("messages", conversation.turns());
        thinking.apply(out);
        sampling(canonical, out, thinking.enabled());
        ToolMapping.apply(canonical, out, thinking.enabled());
        userId(canonical).ifPresent(id -> out.putObject("metadata").put("user_id", id));
        serviceTier(canonical).ifPresent(tier -> out.put("service_tier", tier));
        if (stream) {
            out.put("stream", true);
        }
        return out;
    }

    private static void checkParameters(ObjectNode canonical) {
        for (Map.Entry<String, JsonNode> field : canonical.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (value.isNull() || TRANSLATED.contains(name)) {
                continue;
            }
            String reason = DEFAULT_ONLY.get(name);
            if (reason == null) {
                throw Refusals.parameter(name, "the gateway has no Anthropic translation for it");
            }
            if (!isDefault(name, value)) {
                throw Refusals.parameter(name, reason);
            }
        }
    }

    private static boolean isDefault(String name, JsonNode value) {
        return switch (name) {
            case "n" -> value.isNumber() && value.decimalValue().compareTo(java.math.BigDecimal.ONE) == 0;
            case "logprobs", "store" -> value.isBoolean() && !value.asBoolean();
            case "logit_bias", "metadata" -> value.isObject() && value.isEmpty();
            case "presence_penalty", "frequency_penalty" -> value.isNumber() && value.doubleValue() == 0;
            case "modalities" -> value.isArray() && value.valueStream().allMatch(m -> "text".equals(m.asText()));
            default -> false;
        };
    }

    /** One system prompt as a plain string; several, or any with a cache marker, as blocks. */
    private static JsonNode system(Conversation conversation) {
        if (conversation.system().size() == 1 && !conversation.system().get(0).has("cache_control")) {
            return conversation.system().get(0).get("text");
        }
        return conversation.system();
    }

    private static void sampling(ObjectNode canonical, ObjectNode out, boolean thinking) {
        JsonNode temperature = canonical.get("temperature");
        if (temperature != null && temperature.isNumber()) {
            if (temperature.doubleValue() > 1) {
                throw Refusals.value("temperature", "must be between 0 and 1 with Anthropic models (OpenAI's range "
                        + "is 0 to 2; the gateway does not rescale it)");
            }
            if (thinking && temperature.doubleValue() != 1) {
                throw Refusals.value("temperature", "cannot be changed with 'reasoning_effort' on Anthropic models");
            }
            out.set("temperature", temperature);
        }
        JsonNode topP = canonical.get("top_p");
        if (topP != null && topP.isNumber()) {
            if (thinking && topP.doubleValue() < 0.95) {
                throw Refusals.value("top_p", "must be at least 0.95 with 'reasoning_effort' on Anthropic models");
            }
            out.set("top_p", topP);
        }
        JsonNode topK = canonical.get("top_k");
        if (topK != null && !topK.isNull()) {
            if (!topK.canConvertToExactIntegral() || thinking) {
                throw Refusals.value("top_k", thinking ? "cannot be set with 'reasoning_effort' on Anthropic models"
                        : "must be an integer");
            }
            out.put("top_k", topK.asLong());
        }
        stop(canonical.get("stop"), out);
    }

    private static void stop(JsonNode stop, ObjectNode out) {
        if (stop == null || stop.isNull()) {
            return;
        }
        var sequences = out.arrayNode();
        if (stop.isTextual()) {
            sequences.add(stop.asText());
        } else {
            stop.forEach(sequences::add);
        }
        if (!sequences.isEmpty()) {
            out.set("stop_sequences", sequences);
        }
    }

    /** OpenAI's {@code safety_identifier} (or the older {@code user}) is what Anthropic's user id is for. */
    private static java.util.Optional<String> userId(ObjectNode canonical) {
        for (String field : new String[] {"safety_identifier", "user"}) {
            JsonNode value = canonical.get(field);
            if (value != null && value.isTextual() && !value.asText().isEmpty()) {
                return java.util.Optional.of(value.asText());
            }
        }
        return java.util.Optional.empty();
    }

    private static java.util.Optional<String> serviceTier(ObjectNode canonical) {
        JsonNode tier = canonical.get("service_tier");
        if (tier == null || tier.isNull()) {
            return java.util.Optional.empty();
        }
        return switch (tier.asText()) {
            case "auto" -> java.util.Optional.of("auto");
            case "default" -> java.util.Optional.of("standard_only");
            default -> throw Refusals.value("service_tier", "'" + tier.asText() + "' has no Anthropic equivalent "
                    + "(supported: auto, default)");
        };
    }
}
