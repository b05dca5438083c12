package ai.higress.admin;

import java.util.Map;

import ai.higress.catalog.ModelCatalog;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /admin/api/catalog/refresh} (admin role): fetches every discoverable provider's model list now and
 * answers with what each provider contributes.
 */
final class AdminCatalogService implements HttpService {
    private final AdminSupport admin;
    private final ModelCatalog catalog;

    AdminCatalogService(AdminSupport admin, ModelCatalog catalog) {
        this.admin = admin;
        this.catalog = catalog;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/admin/api/catalog/refresh", this::refresh);
    }

    private void refresh(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        Map<String, ModelCatalog.ProviderResult> results = catalog.refresh();
        ObjectNode root = Json.object();
        ObjectNode providers = root.putObject("providers");
        results.forEach((id, result) -> {
            ObjectNode node = providers.putObject(id);
            node.put("models", result.models());
            node.put("fetched", result.fetched());
            if (!result.fetched()) {
                node.put("error", result.error());
            }
        });
        root.put("models", catalog.entries().size());
        admin.audit(principal, "refresh", "catalog", "models", Json.object().put("providers", results.size()));
        AdminSupport.send(res, root);
    }
}
