package ai.higress.mock;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.http.ServerRequest;

/**
 * Reads and validates an Anthropic Messages request ({@code POST /v1/messages}), failing as the Messages API does:
 * the {@code anthropic-version} header, {@code model}, {@code max_tokens} and a non-empty {@code messages} list of
 * {@code user} and {@code assistant} turns are required. A {@code tool_choice} of {@code any} or {@code tool} forces a
 * tool call, as {@code required} or a named function does on the OpenAI endpoint.
 */
final class MessagesRequestParser {

    private static final Set<String> ROLES = Set.of("user", "assistant");

    private final ObjectMapper json;
    private final Set<String> models;

    MessagesRequestParser(ObjectMapper json, List<String> models) {
        this.json = json;
        this.models = Set.copyOf(models);
    }

    ChatRequest parse(ServerRequest req, byte[] body, long number) {
        if (!req.headers().contains(Dialect.ANTHROPIC_VERSION)) {
            throw MockApiError.invalidBody("anthropic-version: header is required");
        }
        JsonNode root = BodyFields.readObject(json, body);
        JsonNode model = root.path("model");
        if (!model.isTextual() || model.asText().isBlank()) {
            throw MockApiError.invalidRequest("model: Field required", "model");
        }
        if (!root.hasNonNull("max_tokens")) {
            throw MockApiError.invalidRequest("max_tokens: Field required", "max_tokens");
        }
        int maxTokens = BodyFields.positiveInt(root, "max_tokens", Integer.MAX_VALUE);
        JsonNode messages = requireMessages(root.path("messages"));
        Answer answer = BodyFields.answer(json, forcedTool(root), "toolu_mock_" + number, lastUserText(messages),
                maxTokens);
        if (!models.contains(model.asText())) {
            throw MockApiError.notFound("model: " + model.asText());
        }
        boolean stream = root.path("stream").asBoolean(false);
        return new ChatRequest(model.asText(), promptTokens(root.path("system"), messages), stream, false, 1,
                answer);
    }

    private static JsonNode requireMessages(JsonNode messages) {
        if (!messages.isArray() || messages.isEmpty()) {
            throw MockApiError.invalidRequest("messages: at least one message is required", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject() || !ROLES.contains(message.path("role").asText())) {
                throw MockApiError.invalidRequest("messages." + i + ".role: must be 'user' or 'assistant'",
                        "messages");
            }
            JsonNode content = message.path("content");
            if (!content.isTextual() && !content.isArray()) {
                throw MockApiError.invalidRequest("messages." + i + ".content: must be a string or a list of "
                        + "content blocks", "messages");
            }
        }
        return messages;
    }

    /** The tool that {@code tool_choice} forces; empty when the model may answer in text. */
    private static Optional<String> forcedTool(JsonNode root) {
        JsonNode choice = root.path("tool_choice");
        String type = choice.path("type").asText("auto");
        if (choice.isMissingNode() || type.equals("auto") || type.equals("none")) {
            return Optional.empty();
        }
        JsonNode tools = root.path("tools");
        if (!type.equals("any") && !type.equals("tool")) {
            throw MockApiError.invalidRequest("tool_choice.type: must be 'auto', 'any', 'tool' or 'none'",
                    "tool_choice");
        }
        if (!tools.isArray() || tools.isEmpty()) {
            throw MockApiError.invalidRequest("tool_choice: may only be specified while providing tools",
                    "tool_choice");
        }
        String name = type.equals("tool") ? choice.path("name").asText("") : tools.get(0).path("name").asText("");
        for (JsonNode tool : tools) {
            if (!name.isBlank() && tool.path("name").asText("").equals(name)) {
                return Optional.of(name);
            }
        }
        throw MockApiError.invalidRequest("tool_choice: no tool named '" + name + "' in tools", "tool_choice");
    }

    /**
     * The text of the last user turn that has any: a turn that only returns tool results is the tool's, not the
     * user's, so the answer keeps quoting the question across a tool round trip (as the OpenAI endpoint, where tool
     * results have their own role, does).
     */
    private static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (message.path("role").asText().equals("user")
                    && !BodyFields.textParts(message.path("content")).isEmpty()) {
                return BodyFields.joinedText(message.path("content"));
            }
        }
        return "";
    }

    private static int promptTokens(JsonNode system, JsonNode messages) {
        long chars = BodyFields.textLength(system);
        for (JsonNode message : messages) {
            chars += BodyFields.textLength(message.path("content"));
        }
        return BodyFields.promptTokens(chars);
    }
}
