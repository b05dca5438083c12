package ai.higress.messages;

import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

import ai.higress.error.GatewayException;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.ChatRequestParser;
import ai.higress.schema.Json;
import ai.higress.schema.WireProtocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static ai.higress.messages.Fields.invalid;
import static ai.higress.messages.Fields.present;

/**
 * Parses an Anthropic Messages request once, at the edge, into the canonical chat request, through an explicit
 * parameter table: each known field is validated and renamed, dropped or refused; fields outside the table are not
 * carried into the canonical body. The client's own body is never modified, so an upstream that speaks Messages can
 * be sent it as it came. See {@code docs/protocols.md} for the mapping.
 */
public final class MessagesRequestParser {
    /** Fields that ask for features only Anthropic's own API provides. */
    private static final Set<String> REFUSED = Set.of("container", "mcp_servers");
    /** Below this thinking budget the canonical effort is {@code low}. */
    static final long MEDIUM_BUDGET = 4_096;
    /** From this thinking budget on the canonical effort is {@code high}. */
    static final long HIGH_BUDGET = 16_384;

    private MessagesRequestParser() {
    }

    /** A {@code POST /v1/messages} body. */
    public static ChatRequest parse(byte[] body) {
        return parse(readObject(body), false);
    }

    /**
     * A {@code POST /v1/messages/count_tokens} body: the same fields, without the required {@code max_tokens}; the
     * canonical request it yields is only ever measured, never sent.
     */
    public static ChatRequest parseCountTokens(byte[] body) {
        return parse(readObject(body), true);
    }

    static ChatRequest parse(ObjectNode original, boolean countTokens) {
        ObjectNode canonical = Json.object();
        canonical.put("model", model(original));
        canonical.set("messages", MessageTranslator.translate(original));
        for (String field : REFUSED) {
            if (present(original, field)) {
                throw Fields.unsupported(field, "'" + field + "'");
            }
        }
        if (!countTokens || present(original, "max_tokens")) {
            canonical.put("max_completion_tokens", maxTokens(original));
        }
        sampling(original, canonical);
        tools(original, canonical);
        if (present(original, "metadata")) {
            metadata(original.get("metadata"), canonical);
        }
        if (present(original, "thinking")) {
            thinking(original.get("thinking"), canonical);
        }
        if (present(original, "service_tier")) {
            canonical.put("service_tier", serviceTier(original.get("service_tier")));
        }
        if (!countTokens && present(original, "stream")
                && Fields.expect(original.get("stream"), JsonNodeType.BOOLEAN, "stream").booleanValue()) {
            canonical.put("stream", true);
            // usage arrives in the last chunk only when asked for; message_delta needs it
            canonical.putObject("stream_options").put("include_usage", true);
        }
        return ChatRequestParser.parse(canonical).fromClient(WireProtocol.ANTHROPIC_MESSAGES, original);
    }

    private static ObjectNode readObject(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw GatewayException.invalidRequest("The request body is not valid JSON: " + e.getOriginalMessage(),
                    null);
        } catch (IOException e) {
            throw GatewayException.invalidRequest("The request body could not be read.", null);
        }
        if (root == null || !root.isObject()) {
            throw GatewayException.invalidRequest("The request body must be a JSON object.", null);
        }
        return (ObjectNode) root;
    }

    private static String model(ObjectNode original) {
        String model = Fields.requiredText(original, "model", "");
        if (model.isBlank()) {
            throw invalid("model", "String should have at least 1 character");
        }
        return model;
    }

    private static long maxTokens(ObjectNode original) {
        JsonNode value = original.get("max_tokens");
        if (value == null || value.isNull()) {
            throw invalid("max_tokens", "Field required");
        }
        return Fields.integer(value, 1, "max_tokens");
    }

    private static void sampling(ObjectNode original, ObjectNode canonical) {
        if (present(original, "temperature")) {
            canonical.put("temperature", Fields.number(original.get("temperature"), 0, 1, "temperature"));
        }
        if (present(original, "top_p")) {
            canonical.put("top_p", Fields.number(original.get("top_p"), 0, 1, "top_p"));
        }
        if (present(original, "top_k")) {
            // validated, then dropped: chat completions have no top-k sampling (docs/protocols.md)
            Fields.integer(original.get("top_k"), 0, "top_k");
        }
        if (present(original, "stop_sequences")) {
            JsonNode stops = Fields.expect(original.get("stop_sequences"), JsonNodeType.ARRAY, "stop_sequences");
            ArrayNode stop = Json.MAPPER.createArrayNode();
            for (int i = 0; i < stops.size(); i++) {
                stop.add(Fields.expect(stops.get(i), JsonNodeType.STRING, Fields.path("stop_sequences", i)));
            }
            if (!stop.isEmpty()) {
                canonical.set("stop", stop);
            }
        }
    }

    private static void tools(ObjectNode original, ObjectNode canonical) {
        boolean hasTools = false;
        if (present(original, "tools")) {
            ArrayNode tools = ToolTranslator.tools(original.get("tools"));
            hasTools = !tools.isEmpty();
            if (hasTools) {
                canonical.set("tools", tools);
            }
        }
        if (present(original, "tool_choice")) {
            ToolTranslator.toolChoice(original.get("tool_choice"), hasTools, canonical);
        }
    }

    private static void metadata(JsonNode metadata, ObjectNode canonical) {
        Fields.expect(metadata, JsonNodeType.OBJECT, "metadata");
        for (Iterator<String> names = metadata.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("user_id")) {
                throw invalid("metadata." + name, "Extra inputs are not permitted");
            }
        }
        if (present(metadata, "user_id")) {
            canonical.put("user", Fields.requiredText(metadata, "user_id", "metadata"));
        }
    }

    /** Extended thinking as a reasoning effort, by budget (docs/protocols.md). */
    private static void thinking(JsonNode thinking, ObjectNode canonical) {
        Fields.expect(thinking, JsonNodeType.OBJECT, "thinking");
        switch (Fields.requiredText(thinking, "type", "thinking")) {
            case "enabled" -> {
                JsonNode budget = thinking.get("budget_tokens");
                if (budget == null || budget.isNull()) {
                    throw invalid("thinking.enabled.budget_tokens", "Field required");
                }
                long tokens = Fields.integer(budget, 1024, "thinking.enabled.budget_tokens");
                canonical.put("reasoning_effort", tokens < MEDIUM_BUDGET ? "low"
                        : tokens < HIGH_BUDGET ? "medium" : "high");
            }
            case "disabled", "adaptive" -> {
                // the upstream model's own default
            }
            default -> throw invalid("thinking.type", "Input should be 'enabled', 'disabled' or 'adaptive'");
        }
    }

    private static String serviceTier(JsonNode tier) {
        Fields.expect(tier, JsonNodeType.STRING, "service_tier");
        return switch (tier.textValue()) {
            case "auto" -> "auto";
            case "standard_only" -> "default";
            default -> throw invalid("service_tier", "Input should be 'auto' or 'standard_only'");
        };
    }
}
