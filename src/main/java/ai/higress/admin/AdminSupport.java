package ai.higress.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import ai.higress.error.GatewayException;
import ai.higress.observe.Exchange;
import ai.higress.schema.Json;
import ai.higress.storage.AuditRepository;
import ai.higress.storage.Page;
import ai.higress.storage.PageRequest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** What every admin service shares: authentication and roles, the audit trail, live apply, paging and JSON replies. */
final class AdminSupport {
    /** Money and other decimals as plain JSON numbers: {@code 0.0000001}, never {@code 1E-7}. */
    private static final ObjectWriter WRITER = Json.MAPPER.writer()
            .with(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private final AdminAuthenticator authenticator;
    private final AuditRepository audit;
    private final ControlPlane controlPlane;

    AdminSupport(AdminAuthenticator authenticator, AuditRepository audit, ControlPlane controlPlane) {
        this.authenticator = authenticator;
        this.audit = audit;
        this.controlPlane = controlPlane;
    }

    AdminAuthenticator authenticator() {
        return authenticator;
    }

    ControlPlane controlPlane() {
        return controlPlane;
    }

    /** Any authenticated admin user (viewers included). */
    AdminPrincipal reader(ServerRequest request) {
        markRoute(request);
        return authenticator.authenticate(request);
    }

    /** Files the request under the {@code admin} route in logs and metrics (done before authenticating). */
    static void markRoute(ServerRequest request) {
        request.context().get(Exchange.class).ifPresent(exchange -> exchange.route("admin"));
    }

    /** An authenticated user with the admin role. */
    AdminPrincipal writer(ServerRequest request) {
        AdminPrincipal principal = reader(request);
        principal.requireAdmin();
        return principal;
    }

    /** Records a change in the audit log; {@code details} must never hold a secret. */
    void audit(AdminPrincipal principal, String action, String resourceType, String resourceId, JsonNode details) {
        audit.append(principal.name(), action, resourceType, resourceId, details);
    }

    /** Records a change and applies it on every replica. */
    void changed(AdminPrincipal principal, String action, String resourceType, String resourceId, JsonNode details) {
        audit(principal, action, resourceType, resourceId, details);
        controlPlane.changed();
    }

    static PageRequest page(ServerRequest request) {
        int limit = intParam(request, "limit", 50, 1, PageRequest.MAX_LIMIT);
        int offset = intParam(request, "offset", 0, 0, Integer.MAX_VALUE);
        return new PageRequest(limit, offset);
    }

    static int intParam(ServerRequest request, String name, int defaultValue, int min, int max) {
        String text = request.query().first(name).orElse("");
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw GatewayException.invalidRequest("Invalid value for '" + name + "': expected an integer between " + min
                + " and " + max + ".", name, "invalid_value");
    }

    /** A query parameter that is present and not blank. */
    static Optional<String> textParam(ServerRequest request, String name) {
        return request.query().first(name).map(String::strip).filter(text -> !text.isEmpty());
    }

    /** An ISO-8601 instant query parameter such as {@code 2027-01-31T00:00:00Z}; 400 naming it when malformed. */
    static Optional<Instant> instantParam(ServerRequest request, String name) {
        Optional<String> text = textParam(request, name);
        try {
            return text.map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw GatewayException.invalidRequest("Invalid value for '" + name + "': expected an ISO-8601 instant such"
                    + " as 2027-01-31T00:00:00Z, was '" + text.orElseThrow() + "'.", name, "invalid_value");
        }
    }

    /** The {@code from} (inclusive) and {@code to} (exclusive) query parameters; 400 when from is after to. */
    static TimeRange range(ServerRequest request) {
        Optional<Instant> from = instantParam(request, "from");
        Optional<Instant> to = instantParam(request, "to");
        if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
            throw GatewayException.invalidRequest("Invalid value for 'from': " + from.get() + " is after 'to' ("
                    + to.get() + ").", "from", "invalid_value");
        }
        return new TimeRange(from, to);
    }

    /** A time window of a listing: {@code [from, to)}, either end open. */
    record TimeRange(Optional<Instant> from, Optional<Instant> to) {
    }

    static <T> ObjectNode page(Page<T> page, Function<T, JsonNode> render) {
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        page.items().forEach(item -> data.add(render.apply(item)));
        root.put("total", page.total());
        root.put("limit", page.limit());
        root.put("offset", page.offset());
        return root;
    }

    static <T> ObjectNode list(List<T> items, Function<T, JsonNode> render) {
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        items.forEach(item -> data.add(render.apply(item)));
        root.put("total", items.size());
        return root;
    }

    static void send(ServerResponse response, Status status, JsonNode body) {
        response.status(status);
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        try {
            response.send(WRITER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    static void send(ServerResponse response, JsonNode body) {
        send(response, Status.OK_200, body);
    }

    static byte[] body(ServerRequest request) {
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        return request.content().as(byte[].class);
    }

    static GatewayException notFound(String what, String id) {
        return GatewayException.notFound("No " + what + " '" + id + "'.");
    }

    /** The 409 for a change to {@code what} (such as {@code Provider 'acme'}), which the configuration file manages. */
    static GatewayException readOnly(String what) {
        return conflict(what + " is managed in the configuration file and is read-only through the admin API; change "
                + "it in the configuration file.");
    }

    static GatewayException conflict(String message) {
        return new GatewayException(409, ai.higress.error.ErrorType.INVALID_REQUEST, message,
                java.util.Optional.empty(), java.util.Optional.of("conflict"));
    }
}
