package ai.higress.api;

import ai.higress.error.GatewayException;
import ai.higress.schema.Json;
import ai.higress.session.SessionView;
import ai.higress.session.Sessions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET} and {@code DELETE /v1/sessions/{id}} for the key that owns the session. Another key's session is a 404,
 * exactly like a missing one, so its existence is never revealed.
 */
final class SessionsService implements HttpService {
    private final Sessions sessions;

    SessionsService(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/sessions/{id}", this::read);
        rules.delete("/v1/sessions/{id}", this::delete);
    }

    private void read(ServerRequest req, ServerResponse res) {
        Exchanges.of(req).route("sessions");
        String id = req.path().pathParameters().get("id");
        SessionView view = sessions.read(Callers.of(req).keyId(), id);
        ObjectNode body = Json.object();
        body.put("id", id);
        if (view.sticky().isPresent()) {
            ObjectNode sticky = body.putObject("sticky");
            sticky.put("provider", view.sticky().get().provider());
            sticky.put("model", view.sticky().get().model());
        } else {
            body.putNull("sticky");
        }
        ArrayNode snippets = body.putArray("snippets");
        for (String snippet : view.snippets()) {
            try {
                snippets.add(Json.MAPPER.readTree(snippet));
            } catch (java.io.IOException e) {
                throw GatewayException.internal();
            }
        }
        body.put("ttl_seconds", Sessions.seconds(view.ttl()));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(body));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Exchanges.of(req).route("sessions");
        sessions.delete(Callers.of(req).keyId(), req.path().pathParameters().get("id"));
        res.status(Status.NO_CONTENT_204).send();
    }
}
