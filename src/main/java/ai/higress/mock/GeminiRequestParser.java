package ai.higress.mock;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.http.ServerRequest;

/**
 * Reads and validates a Gemini {@code GenerateContentRequest} posted to
 * {@code /v1beta/models/{model}:generateContent} or {@code :streamGenerateContent?alt=sse}, failing as the Gemini API
 * does. The model and whether to stream come from the path; {@code generationConfig} gives {@code maxOutputTokens}
 * and {@code candidateCount}; {@code toolConfig.functionCallingConfig.mode: ANY} forces a function call (the first
 * of {@code allowedFunctionNames}, else the first declared function).
 */
final class GeminiRequestParser {

    static final String CALL_PARAMETER = "call";
    private static final String GENERATE = "generateContent";
    private static final String STREAM = "streamGenerateContent";
    private static final Set<String> ROLES = Set.of("user", "model");

    private final ObjectMapper json;
    private final Set<String> models;

    GeminiRequestParser(ObjectMapper json, List<String> models) {
        this.json = json;
        this.models = Set.copyOf(models);
    }

    ChatRequest parse(ServerRequest req, byte[] body, long number) {
        Call call = call(req);
        JsonNode root = BodyFields.readObject(json, body);
        JsonNode contents = requireContents(root.path("contents"));
        JsonNode config = root.path("generationConfig");
        int maxTokens = BodyFields.positiveInt(config, "maxOutputTokens", Integer.MAX_VALUE);
        int candidates = BodyFields.positiveInt(config, "candidateCount", 1);
        if (candidates > ChatRequestParser.MAX_CHOICES) {
            throw MockApiError.invalidRequest("* GenerateContentRequest.generation_config.candidate_count: must be "
                    + "at most " + ChatRequestParser.MAX_CHOICES + ".", "candidateCount");
        }
        Answer answer = BodyFields.answer(json, forcedFunction(root), "", lastUserText(contents), maxTokens);
        if (!models.contains(call.model())) {
            throw MockApiError.notFound("models/" + call.model() + " is not found for API version v1beta, or is not "
                    + "supported for generateContent. Call ListModels to see the list of available models and their "
                    + "supported methods.");
        }
        long chars = BodyFields.textLength(root.path("systemInstruction").path("parts"));
        for (JsonNode content : contents) {
            chars += BodyFields.textLength(content.path("parts"));
        }
        return new ChatRequest(call.model(), BodyFields.promptTokens(chars), call.stream(), call.stream(),
                candidates, answer);
    }

    /** What the path asks for: {@code {model}:generateContent}, or {@code :streamGenerateContent} with SSE. */
    private record Call(String model, boolean stream) {
    }

    private static Call call(ServerRequest req) {
        String call = req.path().pathParameters().get(CALL_PARAMETER);
        int colon = call.lastIndexOf(':');
        String method = colon < 0 ? "" : call.substring(colon + 1);
        if (colon <= 0 || !(method.equals(GENERATE) || method.equals(STREAM))) {
            throw MockApiError.notFound("Invalid URL (POST " + req.path().path() + "): the mock serves "
                    + "models/{model}:generateContent and :streamGenerateContent.");
        }
        boolean stream = method.equals(STREAM);
        if (stream && !req.query().first("alt").orElse("").equals("sse")) {
            // Without alt=sse Google streams one JSON array; the gateway never asks for that, so neither does the mock.
            throw MockApiError.invalidBody("The mock upstream streams only server-sent events: add ?alt=sse.");
        }
        return new Call(call.substring(0, colon), stream);
    }

    private static JsonNode requireContents(JsonNode contents) {
        if (!contents.isArray() || contents.isEmpty()) {
            throw MockApiError.invalidRequest("* GenerateContentRequest.contents: contents is not specified\n",
                    "contents");
        }
        for (int i = 0; i < contents.size(); i++) {
            JsonNode content = contents.get(i);
            JsonNode role = content.path("role");
            if (!content.isObject() || !content.path("parts").isArray() || content.path("parts").isEmpty()) {
                throw MockApiError.invalidRequest("* GenerateContentRequest.contents[" + i + "].parts: contents.parts "
                        + "must not be empty.\n", "contents");
            }
            if (!role.isMissingNode() && !ROLES.contains(role.asText())) {
                throw MockApiError.invalidRequest("Please use a valid role: user, model.", "contents");
            }
        }
        return contents;
    }

    /** The function a {@code functionCallingConfig} of mode {@code ANY} forces; empty when text may answer. */
    private static Optional<String> forcedFunction(JsonNode root) {
        JsonNode config = root.path("toolConfig").path("functionCallingConfig");
        if (!config.path("mode").asText("AUTO").equals("ANY")) {
            return Optional.empty();
        }
        List<String> declared = new ArrayList<>();
        for (JsonNode tool : root.path("tools")) {
            tool.path("functionDeclarations").forEach(function -> declared.add(function.path("name").asText("")));
        }
        if (declared.isEmpty()) {
            throw MockApiError.invalidRequest("* GenerateContentRequest.tool_config.function_calling_config.mode: "
                    + "function calling mode ANY needs function declarations.\n", "toolConfig");
        }
        JsonNode allowed = config.path("allowedFunctionNames");
        String name = allowed.isArray() && !allowed.isEmpty() ? allowed.get(0).asText("") : declared.getFirst();
        if (name.isBlank() || !declared.contains(name)) {
            throw MockApiError.invalidRequest("* GenerateContentRequest.tool_config.function_calling_config"
                    + ".allowed_function_names: '" + name + "' is not a declared function.\n", "toolConfig");
        }
        return Optional.of(name);
    }

    /** The text of the last user turn that has any (a turn of function responses alone is the tool's, not the user's). */
    private static String lastUserText(JsonNode contents) {
        for (int i = contents.size() - 1; i >= 0; i--) {
            JsonNode content = contents.get(i);
            if (content.path("role").asText("user").equals("user")
                    && !BodyFields.textParts(content.path("parts")).isEmpty()) {
                return BodyFields.joinedText(content.path("parts"));
            }
        }
        return "";
    }
}
