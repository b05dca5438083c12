package ai.higress.gemini;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import ai.higress.error.GatewayException;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.ChatRequestParser;
import ai.higress.schema.Json;
import ai.higress.schema.WireProtocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Parses a Gemini {@code GenerateContentRequest} once, at the edge, into the canonical chat request. Every top-level
 * field and every {@code generationConfig} field is translated, accepted without effect, or refused naming the field;
 * an unknown field is refused too, so nothing is silently lost. The client's body is kept untouched for the Gemini
 * fast path. See {@code docs/protocols.md} for the mapping.
 */
public final class GeminiRequestParser {
    private static final Set<String> TOP_LEVEL = Set.of("contents", "systemInstruction", "system_instruction",
            "tools", "toolConfig", "tool_config", "generationConfig", "generation_config", "safetySettings",
            "safety_settings", "model", "labels");
    private static final Set<String> GENERATION = Set.of("temperature", "topP", "topK", "maxOutputTokens",
            "stopSequences", "candidateCount", "responseMimeType", "responseSchema", "responseJsonSchema",
            "thinkingConfig", "seed", "presencePenalty", "frequencyPenalty");
    /** Thinking budgets (tokens) from which the canonical effort rises; 0 switches thinking off. */
    static final long MEDIUM_BUDGET = 4_096;
    static final long HIGH_BUDGET = 16_384;
    private static final Map<String, String> LEVELS = Map.of("MINIMAL", "minimal", "LOW", "low", "MEDIUM", "medium",
            "HIGH", "high");

    private GeminiRequestParser() {
    }

    /** A request body for {@code model} (from the path), streamed or not (from the method). */
    public static ChatRequest parse(byte[] body, String model, boolean stream) {
        ObjectNode original = readObject(body);
        for (String field : iterable(original.fieldNames())) {
            if (!TOP_LEVEL.contains(field)) {
                throw Refusal.invalid(field, "Unknown name \"" + field + "\" (not supported by the gateway).");
            }
        }
        ObjectNode canonical = Json.object();
        canonical.put("model", model.startsWith("models/") ? model.substring(7) : model);
        canonical.set("messages", GeminiContentsParser.messages(original));
        GeminiContentsParser.tools(original, canonical);
        JsonNode generation = either(original, "generationConfig", "generation_config");
        if (!generation.isMissingNode() && !generation.isNull()) {
            generation(Refusal.object(generation, "generationConfig"), canonical);
        }
        if (stream) {
            canonical.put("stream", true);
            // the last event carries usageMetadata; chunks carry usage only when asked for
            canonical.putObject("stream_options").put("include_usage", true);
        }
        return ChatRequestParser.parse(canonical).fromClient(WireProtocol.GEMINI, original);
    }

    /** A field under its camelCase name or the snake_case name the REST API also accepts. */
    static JsonNode either(JsonNode node, String camel, String snake) {
        JsonNode value = node.path(camel);
        return value.isMissingNode() ? node.path(snake) : value;
    }

    private static void generation(JsonNode config, ObjectNode canonical) {
        for (String field : iterable(config.fieldNames())) {
            if (!GENERATION.contains(field)) {
                throw Refusal.invalid("generationConfig." + field, "Unknown or unsupported field.");
            }
        }
        copyNumber(config, "temperature", canonical, "temperature");
        copyNumber(config, "topP", canonical, "top_p");
        copyNumber(config, "presencePenalty", canonical, "presence_penalty");
        copyNumber(config, "frequencyPenalty", canonical, "frequency_penalty");
        if (config.hasNonNull("seed")) {
            canonical.put("seed", Refusal.integer(config.get("seed"), "generationConfig.seed"));
        }
        if (config.hasNonNull("maxOutputTokens")) {
            canonical.put("max_completion_tokens",
                    Refusal.integer(config.get("maxOutputTokens"), "generationConfig.maxOutputTokens"));
        }
        if (config.hasNonNull("candidateCount")
                && Refusal.integer(config.get("candidateCount"), "generationConfig.candidateCount") != 1) {
            throw Refusal.invalid("generationConfig.candidateCount", "Only one candidate is supported.");
        }
        if (config.hasNonNull("stopSequences")) {
            ArrayNode stop = canonical.putArray("stop");
            for (JsonNode value : Refusal.array(config.get("stopSequences"), "generationConfig.stopSequences")) {
                stop.add(Refusal.text(value, "generationConfig.stopSequences"));
            }
        }
        responseFormat(config, canonical);
        if (config.hasNonNull("thinkingConfig")) {
            thinking(Refusal.object(config.get("thinkingConfig"), "generationConfig.thinkingConfig"), canonical);
        }
    }

    private static void copyNumber(JsonNode config, String field, ObjectNode canonical, String to) {
        if (config.hasNonNull(field)) {
            JsonNode value = config.get(field);
            if (!value.isNumber()) {
                throw Refusal.invalid("generationConfig." + field, "Expected a number.");
            }
            canonical.put(to, value.doubleValue());
        }
    }

    private static void responseFormat(JsonNode config, ObjectNode canonical) {
        String mime = config.hasNonNull("responseMimeType")
                ? Refusal.text(config.get("responseMimeType"), "generationConfig.responseMimeType") : "text/plain";
        JsonNode schema = config.hasNonNull("responseJsonSchema") ? config.get("responseJsonSchema")
                : config.hasNonNull("responseSchema") ? GeminiSchema.toJsonSchema(config.get("responseSchema"))
                : null;
        switch (mime) {
            case "text/plain" -> {
                if (schema != null) {
                    throw Refusal.invalid("generationConfig.responseSchema",
                            "A response schema requires responseMimeType application/json.");
                }
            }
            case "application/json" -> {
                ObjectNode format = canonical.putObject("response_format");
                if (schema == null) {
                    format.put("type", "json_object");
                } else {
                    format.put("type", "json_schema").putObject("json_schema").put("name", "response")
                            .set("schema", schema);
                }
            }
            default -> throw Refusal.invalid("generationConfig.responseMimeType",
                    "Only text/plain and application/json are supported.");
        }
    }

    /** A thinking budget or level as a canonical reasoning effort; {@code includeThoughts} has no canonical form. */
    private static void thinking(JsonNode thinking, ObjectNode canonical) {
        for (String field : iterable(thinking.fieldNames())) {
            if (!Set.of("thinkingBudget", "thinkingLevel", "includeThoughts").contains(field)) {
                throw Refusal.invalid("generationConfig.thinkingConfig." + field, "Unknown field.");
            }
        }
        if (thinking.hasNonNull("thinkingLevel")) {
            String level = Refusal.text(thinking.get("thinkingLevel"), "generationConfig.thinkingConfig.thinkingLevel");
            String effort = LEVELS.get(level.toUpperCase(java.util.Locale.ROOT));
            if (effort == null) {
                throw Refusal.invalid("generationConfig.thinkingConfig.thinkingLevel",
                        "Expected MINIMAL, LOW, MEDIUM or HIGH.");
            }
            canonical.put("reasoning_effort", effort);
        } else if (thinking.hasNonNull("thinkingBudget")) {
            long budget = thinking.get("thinkingBudget").asLong(-2);
            if (!thinking.get("thinkingBudget").isIntegralNumber() || budget < -1) {
                throw Refusal.invalid("generationConfig.thinkingConfig.thinkingBudget", "Expected an integer >= -1.");
            }
            if (budget >= 0) {
                // -1 is dynamic thinking: the upstream model's own default
                canonical.put("reasoning_effort", budget == 0 ? "none" : budget < MEDIUM_BUDGET ? "low"
                        : budget < HIGH_BUDGET ? "medium" : "high");
            }
        }
    }

    private static ObjectNode readObject(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw GatewayException.invalidRequest("Invalid JSON payload received.", null);
        }
        if (root == null || !root.isObject()) {
            throw GatewayException.invalidRequest("The request body must be a JSON object.", null);
        }
        return (ObjectNode) root;
    }

    static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        return () -> iterator;
    }
}
