package ai.higress.admin;

import ai.higress.schema.Json;
import ai.higress.storage.AuditEntry;
import ai.higress.storage.AuditFilter;
import ai.higress.storage.AuditRepository;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The audit log, read-only: {@code GET /admin/api/audit} lists admin actions newest first, one page at a time,
 * filtered by {@code actor}, {@code resource_type}, {@code from} (inclusive) and {@code to} (exclusive). Viewers may
 * read it.
 */
final class AuditAdminService implements HttpService {
    private final AdminSupport admin;
    private final AuditRepository audit;

    AuditAdminService(AdminSupport admin, AuditRepository audit) {
        this.admin = admin;
        this.audit = audit;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/admin/api/audit", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        AdminSupport.TimeRange range = AdminSupport.range(req);
        AuditFilter filter = new AuditFilter(AdminSupport.textParam(req, "actor"),
                AdminSupport.textParam(req, "resource_type"), range.from(), range.to());
        AdminSupport.send(res, AdminSupport.page(audit.list(filter, AdminSupport.page(req)),
                AuditAdminService::render));
    }

    private static ObjectNode render(AuditEntry entry) {
        ObjectNode node = Json.object();
        node.put("id", entry.id());
        node.put("created_at", entry.createdAt().toString());
        node.put("actor", entry.actor());
        node.put("action", entry.action());
        node.put("resource_type", entry.resourceType());
        node.put("resource_id", entry.resourceId());
        node.set("details", entry.details());
        return node;
    }
}
