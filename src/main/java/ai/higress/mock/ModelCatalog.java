package ai.higress.mock;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}} over the configured model ids. */
final class ModelCatalog {

    static final String OWNER = "ai-higress-demo";
    // A fixed date (2025-01-01T00:00:00Z) keeps the listing byte-for-byte reproducible.
    static final long CREATED = 1_735_689_600L;

    private final ObjectMapper json;
    private final List<String> models;

    ModelCatalog(ObjectMapper json, List<String> models) {
        this.json = json;
        this.models = List.copyOf(models);
    }

    void list(ServerRequest req, ServerResponse res) {
        ObjectNode body = json.createObjectNode().put("object", "list");
        var data = body.putArray("data");
        models.forEach(id -> data.add(model(id)));
        send(res, body);
    }

    void one(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        if (!models.contains(id)) {
            throw MockApiError.modelNotFound(id);
        }
        send(res, model(id));
    }

    private ObjectNode model(String id) {
        return json.createObjectNode().put("id", id).put("object", "model").put("created", CREATED)
                .put("owned_by", OWNER);
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
