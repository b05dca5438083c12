package ai.higress.schema;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

import ai.higress.error.GatewayException;
import ai.higress.ratelimit.TokenEstimate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Parses and validates a chat-completions body once, at the edge. Known parameters are type-checked against an
 * explicit table so a wrong type fails here with {@code param} set, instead of as an opaque upstream error; unknown
 * parameters pass through untouched (vendors add their own).
 */
public final class ChatRequestParser {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    /** Expected JSON shapes of the standard parameters; a value may also be JSON null (meaning "default"). */
    private static final Map<String, Set<JsonNodeType>> PARAMETER_TYPES = Map.ofEntries(
            Map.entry("stream", Set.of(JsonNodeType.BOOLEAN)),
            Map.entry("stream_options", Set.of(JsonNodeType.OBJECT)),
            Map.entry("temperature", Set.of(JsonNodeType.NUMBER)),
            Map.entry("top_p", Set.of(JsonNodeType.NUMBER)),
            Map.entry("n", Set.of(JsonNodeType.NUMBER)),
            Map.entry("max_tokens", Set.of(JsonNodeType.NUMBER)),
            Map.entry("max_completion_tokens", Set.of(JsonNodeType.NUMBER)),
            Map.entry("presence_penalty", Set.of(JsonNodeType.NUMBER)),
            Map.entry("frequency_penalty", Set.of(JsonNodeType.NUMBER)),
            Map.entry("logit_bias", Set.of(JsonNodeType.OBJECT)),
            Map.entry("logprobs", Set.of(JsonNodeType.BOOLEAN)),
            Map.entry("top_logprobs", Set.of(JsonNodeType.NUMBER)),
            Map.entry("seed", Set.of(JsonNodeType.NUMBER)),
            Map.entry("stop", Set.of(JsonNodeType.STRING, JsonNodeType.ARRAY)),
            Map.entry("tools", Set.of(JsonNodeType.ARRAY)),
            Map.entry("tool_choice", Set.of(JsonNodeType.STRING, JsonNodeType.OBJECT)),
            Map.entry("parallel_tool_calls", Set.of(JsonNodeType.BOOLEAN)),
            Map.entry("functions", Set.of(JsonNodeType.ARRAY)),
            Map.entry("function_call", Set.of(JsonNodeType.STRING, JsonNodeType.OBJECT)),
            Map.entry("response_format", Set.of(JsonNodeType.OBJECT)),
            Map.entry("user", Set.of(JsonNodeType.STRING)),
            Map.entry("metadata", Set.of(JsonNodeType.OBJECT)),
            Map.entry("store", Set.of(JsonNodeType.BOOLEAN)),
            Map.entry("modalities", Set.of(JsonNodeType.ARRAY)),
            Map.entry("reasoning_effort", Set.of(JsonNodeType.STRING)),
            Map.entry("service_tier", Set.of(JsonNodeType.STRING)));

    private static final Set<String> INTEGER_PARAMETERS = Set.of("n", "max_tokens", "max_completion_tokens",
            "top_logprobs", "seed");

    private ChatRequestParser() {
    }

    public static ChatRequest parse(byte[] body) {
        return parse(readObject(body));
    }

    /**
     * Validates a canonical body built by an ingress translator from another dialect, so features and limits are
     * derived in one place whatever the client spoke.
     */
    public static ChatRequest parse(ObjectNode root) {
        String model = requireModel(root);
        checkParameterTypes(root);
        validateMessages(root.get("messages"));
        boolean stream = root.path("stream").asBoolean(false);
        JsonNode streamOptions = root.path("stream_options");
        if (!streamOptions.isMissingNode() && !streamOptions.isNull() && !stream) {
            throw GatewayException.invalidRequest(
                    "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
        }
        JsonNode includeUsage = streamOptions.path("include_usage");
        if (!includeUsage.isMissingNode() && !includeUsage.isNull() && !includeUsage.isBoolean()) {
            throw GatewayException.invalidRequest("Invalid type for 'stream_options.include_usage': expected a boolean.",
                    "stream_options.include_usage", "invalid_type");
        }
        return new ChatRequest(model, stream, includeUsage.asBoolean(false), features(root, stream), root);
    }

    /** A request body as a JSON object; a 400 in the API's wording when it is not one. */
    public static ObjectNode readObject(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw GatewayException.invalidRequest("We could not parse the JSON body of your request: "
                    + e.getOriginalMessage() + ". The API expects a JSON object.", null);
        } catch (IOException e) {
            throw GatewayException.invalidRequest("We could not read the JSON body of your request.", null);
        }
        if (root == null || !root.isObject()) {
            throw GatewayException.invalidRequest("The request body must be a JSON object.", null);
        }
        return (ObjectNode) root;
    }

    static String requireModel(ObjectNode root) {
        JsonNode model = root.get("model");
        if (model == null || model.isNull()) {
            throw GatewayException.invalidRequest("You must provide a model parameter.", "model");
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw GatewayException.invalidRequest("Invalid type for 'model': expected a non-empty string.", "model",
                    "invalid_type");
        }
        return model.asText();
    }

    private static void checkParameterTypes(ObjectNode root) {
        for (Map.Entry<String, Set<JsonNodeType>> entry : PARAMETER_TYPES.entrySet()) {
            JsonNode value = root.get(entry.getKey());
            if (value == null || value.isNull()) {
                continue;
            }
            if (!entry.getValue().contains(value.getNodeType())
                    || INTEGER_PARAMETERS.contains(entry.getKey()) && !value.canConvertToExactIntegral()) {
                throw GatewayException.invalidRequest("Invalid type for '" + entry.getKey() + "': expected "
                        + describe(entry.getKey(), entry.getValue()) + ", but got " + describe(value) + ".",
                        entry.getKey(), "invalid_type");
            }
        }
        JsonNode n = root.get("n");
        if (n != null && n.isNumber() && n.decimalValue().compareTo(BigDecimal.ONE) < 0) {
            throw GatewayException.invalidRequest("Invalid value for 'n': must be at least 1.", "n", "invalid_value");
        }
    }

    private static void validateMessages(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            throw GatewayException.invalidRequest("Missing required parameter: 'messages'.", "messages",
                    "missing_required_parameter");
        }
        if (!messages.isArray()) {
            throw GatewayException.invalidRequest("Invalid type for 'messages': expected an array, but got "
                    + describe(messages) + ".", "messages", "invalid_type");
        }
        if (messages.isEmpty()) {
            throw GatewayException.invalidRequest("Invalid 'messages': empty array. Expected an array with minimum "
                    + "length 1, but got an empty array instead.", "messages", "empty_array");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String param = "messages[" + i + "]";
            if (!message.isObject()) {
                throw GatewayException.invalidRequest("Invalid type for '" + param + "': expected an object, but got "
                        + describe(message) + ".", param, "invalid_type");
            }
            JsonNode role = message.get("role");
            if (role == null || !role.isTextual()) {
                throw GatewayException.invalidRequest("Missing required parameter: '" + param + ".role'.",
                        param + ".role", "missing_required_parameter");
            }
            if (!ROLES.contains(role.asText())) {
                throw GatewayException.invalidRequest("Invalid value: '" + role.asText() + "'. Supported values are: "
                        + "'system', 'developer', 'user', 'assistant', 'tool' and 'function'.", param + ".role",
                        "invalid_value");
            }
            JsonNode content = message.get("content");
            if (content != null && !(content.isTextual() || content.isArray() || content.isNull())) {
                throw GatewayException.invalidRequest("Invalid type for '" + param + ".content': expected a string "
                        + "or an array of content parts, but got " + describe(content) + ".", param + ".content",
                        "invalid_type");
            }
        }
    }

    private static RequestFeatures features(ObjectNode root, boolean stream) {
        boolean tools = root.path("tools").size() > 0 || root.path("functions").size() > 0;
        String format = root.path("response_format").path("type").asText("");
        boolean json = format.equals("json_object") || format.equals("json_schema");
        boolean reasoning = root.hasNonNull("reasoning_effort");
        return new RequestFeatures(tools, hasImage(root.get("messages")), json, stream, reasoning, false, false,
                TokenEstimate.promptTokens(root.get("messages")), maxOutputTokens(root), false);
    }

    /** The completion limit the request sets, 0 when none: an unknown size never skips a target. */
    private static long maxOutputTokens(ObjectNode root) {
        for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
            JsonNode value = root.get(field);
            if (value != null && value.canConvertToLong() && value.asLong() > 0) {
                return value.asLong();
            }
        }
        return 0;
    }

    private static boolean hasImage(JsonNode messages) {
        for (JsonNode message : messages) {
            for (JsonNode part : message.path("content")) {
                if ("image_url".equals(part.path("type").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String describe(String name, Set<JsonNodeType> types) {
        if (INTEGER_PARAMETERS.contains(name)) {
            return "an integer";
        }
        return String.join(" or ", types.stream().map(ChatRequestParser::article).sorted().toList());
    }

    static String describe(JsonNode value) {
        return article(value.getNodeType());
    }

    private static String article(JsonNodeType type) {
        return switch (type) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case STRING -> "a string";
            case NULL -> "null";
            default -> "an unsupported value";
        };
    }
}
