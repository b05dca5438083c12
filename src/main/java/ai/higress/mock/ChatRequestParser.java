package ai.higress.mock;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads and validates a chat completion request body, failing with the error a real OpenAI upstream would give. */
final class ChatRequestParser {

    static final int MAX_CHOICES = 8;

    private final ObjectMapper json;
    private final Set<String> models;

    ChatRequestParser(ObjectMapper json, List<String> models) {
        this.json = json;
        this.models = Set.copyOf(models);
    }

    ChatRequest parse(byte[] body, String callId) {
        JsonNode root = BodyFields.readObject(json, body);
        String model = requireModel(root);
        JsonNode messages = requireMessages(root);
        int choices = BodyFields.positiveInt(root, "n", 1);
        if (choices > MAX_CHOICES) {
            throw MockApiError.invalidRequest(
                    "Invalid 'n': integer above maximum value. Expected a value <= " + MAX_CHOICES + ", but got "
                            + choices + " instead.", "n");
        }
        int maxTokens = root.hasNonNull("max_completion_tokens")
                ? BodyFields.positiveInt(root, "max_completion_tokens", Integer.MAX_VALUE)
                : BodyFields.positiveInt(root, "max_tokens", Integer.MAX_VALUE);
        Answer answer = BodyFields.answer(json, forcedFunction(root), callId, lastUserText(messages), maxTokens);
        if (!models.contains(model)) {
            throw MockApiError.modelNotFound(model);
        }
        boolean stream = root.path("stream").asBoolean(false);
        boolean includeUsage = stream && root.path("stream_options").path("include_usage").asBoolean(false);
        return new ChatRequest(model, promptTokens(messages), stream, includeUsage, choices, answer);
    }

    private static String requireModel(JsonNode root) {
        JsonNode model = root.path("model");
        if (!model.isTextual() || model.asText().isBlank()) {
            throw MockApiError.invalidRequest("you must provide a model parameter", "model");
        }
        return model.asText();
    }

    private static JsonNode requireMessages(JsonNode root) {
        JsonNode messages = root.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw MockApiError.invalidRequest("'messages' must be a non-empty array of message objects.",
                    "messages");
        }
        for (JsonNode message : messages) {
            if (!message.isObject() || !message.path("role").isTextual()) {
                throw MockApiError.invalidRequest("Every message must be an object with a 'role'.", "messages");
            }
        }
        return messages;
    }

    /** The function the client forces with {@code tool_choice}; empty when the model may answer in text. */
    private static Optional<String> forcedFunction(JsonNode root) {
        JsonNode choice = root.path("tool_choice");
        boolean required = choice.isTextual() && choice.asText().equals("required");
        boolean named = choice.isObject() && choice.path("type").asText().equals("function");
        if (!required && !named) {
            return Optional.empty();
        }
        JsonNode tools = root.path("tools");
        if (!tools.isArray() || tools.isEmpty()) {
            throw MockApiError.invalidRequest("Invalid value for 'tool_choice': 'tool_choice' is only allowed when "
                    + "'tools' are specified.", "tool_choice");
        }
        String name = named ? choice.path("function").path("name").asText() : functionName(tools.get(0));
        boolean declared = false;
        for (JsonNode tool : tools) {
            declared |= functionName(tool).equals(name);
        }
        if (name.isBlank() || !declared) {
            throw MockApiError.invalidRequest("Invalid value for 'tool_choice': no function named '" + name
                    + "' in 'tools'.", "tool_choice");
        }
        return Optional.of(name);
    }

    private static String functionName(JsonNode tool) {
        return tool.path("function").path("name").asText("");
    }

    private static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (message.path("role").asText().equals("user")) {
                return BodyFields.joinedText(message.path("content"));
            }
        }
        return "";
    }

    private static int promptTokens(JsonNode messages) {
        long chars = 0;
        for (JsonNode message : messages) {
            chars += BodyFields.textLength(message.path("content"));
        }
        return BodyFields.promptTokens(chars);
    }
}
