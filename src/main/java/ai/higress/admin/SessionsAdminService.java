package ai.higress.admin;

import java.util.Optional;

import ai.higress.schema.Json;
import ai.higress.session.RecentCursor;
import ai.higress.session.RecentPage;
import ai.higress.session.SessionSummary;
import ai.higress.session.Sessions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Recent conversation sessions, read-only: {@code GET /admin/api/sessions?limit=&cursor=&key_id=} lists the sessions
 * written within {@code sessions.ttl}, newest write first, one page at a time (cursor-based: pass back
 * {@code next_cursor}), optionally of one key. Only metadata is shown, never message text. Viewers may read it.
 */
final class SessionsAdminService implements HttpService {
    private static final int MAX_LIMIT = 200;

    private final AdminSupport admin;
    private final Sessions sessions;

    SessionsAdminService(AdminSupport admin, Sessions sessions) {
        this.admin = admin;
        this.sessions = sessions;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/admin/api/sessions", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        int limit = AdminSupport.intParam(req, "limit", 50, 1, MAX_LIMIT);
        RecentPage page = sessions.recent(AdminSupport.textParam(req, "key_id"), limit,
                AdminSupport.textParam(req, "cursor"));
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        page.sessions().forEach(session -> data.add(render(session)));
        Optional<String> next = page.next().map(RecentCursor::encode);
        next.ifPresentOrElse(cursor -> root.put("next_cursor", cursor), () -> root.putNull("next_cursor"));
        root.put("has_more", next.isPresent());
        AdminSupport.send(res, root);
    }

    private static ObjectNode render(SessionSummary session) {
        ObjectNode node = Json.object();
        node.put("id", session.id());
        node.put("object", "session");
        node.put("key_id", session.owner());
        node.put("key_name", session.ownerName());
        node.put("turns", session.turns());
        session.sticky().ifPresentOrElse(sticky -> {
            ObjectNode target = node.putObject("sticky");
            target.put("provider", sticky.provider());
            target.put("model", sticky.model());
        }, () -> node.putNull("sticky"));
        node.put("last_activity", session.lastWrite().toString());
        node.put("ttl_seconds", Sessions.seconds(session.ttl()));
        return node;
    }
}
