package ai.higress.mock;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The configured model ids in each protocol's list format: {@code GET /v1/models} and {@code /v1/models/{id}} as
 * OpenAI lists them, or as Anthropic does when the request carries {@code anthropic-version} (the two share the path);
 * {@code GET /v1beta/models} and {@code /v1beta/models/{name}} as Gemini does. Every model serves every protocol.
 */
final class ModelCatalog {

    static final String OWNER = "ai-higress-demo";
    // A fixed date (2025-01-01T00:00:00Z) keeps the listing byte-for-byte reproducible.
    static final long CREATED = 1_735_689_600L;
    private static final String CREATED_AT = "2025-01-01T00:00:00Z";

    private final ObjectMapper json;
    private final List<String> models;

    ModelCatalog(ObjectMapper json, List<String> models) {
        this.json = json;
        this.models = List.copyOf(models);
    }

    void list(ServerRequest req, ServerResponse res) {
        boolean anthropic = Dialect.of(req) == Dialect.ANTHROPIC;
        ObjectNode body = json.createObjectNode();
        if (!anthropic) {
            body.put("object", "list");
        }
        ArrayNode data = body.putArray("data");
        models.forEach(id -> data.add(anthropic ? anthropicModel(id) : openAiModel(id)));
        if (anthropic) {
            body.put("has_more", false).put("first_id", models.getFirst()).put("last_id", models.getLast());
        }
        send(res, body);
    }

    void one(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        boolean anthropic = Dialect.of(req) == Dialect.ANTHROPIC;
        if (!models.contains(id)) {
            throw anthropic ? MockApiError.notFound("model: " + id) : MockApiError.modelNotFound(id);
        }
        send(res, anthropic ? anthropicModel(id) : openAiModel(id));
    }

    void geminiList(ServerRequest req, ServerResponse res) {
        ObjectNode body = json.createObjectNode();
        ArrayNode list = body.putArray("models");
        models.forEach(id -> list.add(geminiModel(id)));
        send(res, body);
    }

    void geminiOne(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get(GeminiRequestParser.CALL_PARAMETER);
        String id = name.startsWith("models/") ? name.substring("models/".length()) : name;
        if (!models.contains(id)) {
            throw MockApiError.notFound("models/" + id + " is not found for API version v1beta.");
        }
        send(res, geminiModel(id));
    }

    private ObjectNode openAiModel(String id) {
        return json.createObjectNode().put("id", id).put("object", "model").put("created", CREATED)
                .put("owned_by", OWNER);
    }

    private ObjectNode anthropicModel(String id) {
        return json.createObjectNode().put("type", "model").put("id", id).put("display_name", id)
                .put("created_at", CREATED_AT);
    }

    private ObjectNode geminiModel(String id) {
        ObjectNode model = json.createObjectNode().put("name", "models/" + id).put("version", "001")
                .put("displayName", id);
        model.putArray("supportedGenerationMethods").add("generateContent");
        return model;
    }

    private void send(ServerResponse res, ObjectNode body) {
        try {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
