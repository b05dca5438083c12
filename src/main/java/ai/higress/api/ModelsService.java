package ai.higress.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import ai.higress.auth.Caller;
import ai.higress.error.GatewayException;
import ai.higress.routing.ModelEntry;
import ai.higress.routing.Router;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /v1/models}, {@code GET /models} and {@code GET /v1/models/{id}} in OpenAI's list format. */
final class ModelsService implements HttpService {
    private final Supplier<Router> router;
    private final Supplier<List<ModelEntry>> catalog;
    private final long createdEpochSeconds;

    ModelsService(Supplier<Router> router, Supplier<List<ModelEntry>> catalog, long createdEpochSeconds) {
        this.router = router;
        this.catalog = catalog;
        this.createdEpochSeconds = createdEpochSeconds;
    }

    @Override
    public void routing(HttpRules rules) {
        for (String base : new String[] {"/v1/models", "/models"}) {
            rules.get(base, this::list);
            rules.get(base + "/*", (req, res) -> one(req, res, base + "/"));
            rules.any(base, (req, res) -> {
                throw GatewayException.methodNotAllowed(req.prologue().method().text(), base);
            });
        }
    }

    private void list(ServerRequest req, ServerResponse res) {
        Exchanges.of(req).route("models");
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        Caller caller = Callers.of(req);
        catalog.get().stream().filter(entry -> caller.mayUse(entry.id())).forEach(entry -> data.add(model(entry)));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(root));
    }

    private void one(ServerRequest req, ServerResponse res, String prefix) {
        Exchanges.of(req).route("models");
        String id = URLDecoder.decode(req.path().rawPath().substring(prefix.length()), StandardCharsets.UTF_8);
        if (!Callers.of(req).mayUse(id)) {
            throw GatewayException.modelNotFound(id);
        }
        ModelEntry entry = catalog.get().stream().filter(candidate -> candidate.id().equals(id)).findFirst()
                .or(() -> router.get().resolve(id).map(plan -> new ModelEntry(id, "ai-higress")))
                .orElseThrow(() -> GatewayException.modelNotFound(id));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(model(entry)));
    }

    private ObjectNode model(ModelEntry entry) {
        ObjectNode node = Json.object();
        node.put("id", entry.id());
        node.put("object", "model");
        node.put("created", createdEpochSeconds);
        node.put("owned_by", entry.ownedBy());
        return node;
    }
}
