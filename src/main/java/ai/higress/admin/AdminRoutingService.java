package ai.higress.admin;

import java.util.Map;

import ai.higress.routing.ChatDispatcher;
import ai.higress.routing.HealthSnapshot;
import ai.higress.routing.HealthTracker;
import ai.higress.routing.RoutePlan;
import ai.higress.schema.Json;
import ai.higress.schema.RequestFeatures;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Explains routing without calling any upstream: {@code GET /admin/api/routing/plan?model=..} returns the plan a
 * request with the given needs (flags {@code stream}, {@code tools}, {@code vision}, {@code json-mode},
 * {@code reasoning}, {@code embeddings}, {@code token-input}; sizes {@code prompt-tokens}, {@code max-tokens}) would
 * get now (each target's effective weight, health and why it is where it is, or why it was skipped),
 * and {@code GET /admin/api/routing/health} the health of every target and provider key.
 */
final class AdminRoutingService implements HttpService {
    private final AdminSupport admin;
    private final ChatDispatcher dispatcher;
    private final HealthTracker health;

    AdminRoutingService(AdminSupport admin, ChatDispatcher dispatcher, HealthTracker health) {
        this.admin = admin;
        this.dispatcher = dispatcher;
        this.health = health;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/admin/api/routing/plan", this::plan)
                .get("/admin/api/routing/health", this::health);
    }

    private void plan(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        String model = req.query().first("model").orElseThrow(() -> ai.higress.error.GatewayException.invalidRequest(
                "Missing required query parameter: 'model'.", "model", "missing_required_parameter"));
        RequestFeatures features = new RequestFeatures(flag(req, "tools"), flag(req, "vision"), flag(req, "json-mode"),
                flag(req, "stream"), flag(req, "reasoning"), flag(req, "embeddings"), flag(req, "token-input"),
                count(req, "prompt-tokens"), count(req, "max-tokens"), flag(req, "upstream-state"));
        RoutePlan plan = dispatcher.explain(model, features);
        ObjectNode root = Json.object();
        root.put("model", plan.alias());
        root.put("strategy", plan.strategy().name().toLowerCase().replace('_', '-'));
        ObjectNode hedge = root.putObject("hedge");
        hedge.put("enabled", plan.hedge().enabled());
        if (plan.hedge().enabled()) {
            hedge.put("after", plan.hedge().adaptive() ? "p95" : plan.hedge().after().toString());
            hedge.put("max_ratio", plan.hedge().maxRatio());
        }
        ArrayNode targets = root.putArray("targets");
        for (RoutePlan.PlannedTarget planned : plan.explanation()) {
            ObjectNode target = targets.addObject();
            target.put("from_model", planned.model());
            target.put("provider", planned.target().providerId());
            target.put("upstream_model", planned.target().upstreamModel());
            target.put("priority", planned.target().priority());
            target.put("weight", planned.target().weight());
            target.put("effective_weight", Math.round(planned.effectiveWeight() * 1000) / 1000.0);
            target.put("verdict", planned.verdict());
            target.set("health", health(planned.health()));
        }
        send(res, root);
    }

    private void health(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        ObjectNode root = Json.object();
        root.set("targets", snapshots(health.targetSnapshots()));
        root.set("keys", snapshots(health.keySnapshots()));
        send(res, root);
    }

    private static ObjectNode snapshots(Map<String, HealthSnapshot> snapshots) {
        ObjectNode node = Json.object();
        snapshots.forEach((name, snapshot) -> node.set(name, health(snapshot)));
        return node;
    }

    private static ObjectNode health(HealthSnapshot snapshot) {
        ObjectNode node = Json.object();
        node.put("state", snapshot.state().name().toLowerCase().replace('_', '-'));
        node.put("cooldown_ms", snapshot.cooldownNanosLeft() / 1_000_000);
        node.put("window_attempts", snapshot.windowAttempts());
        node.put("window_failures", snapshot.windowFailures());
        node.put("consecutive_failures", snapshot.consecutiveFailures());
        node.put("latency_ms", Math.round(snapshot.latencyNanos() / 10_000) / 100.0);
        node.put("in_flight", snapshot.inFlight());
        node.put("reason", snapshot.reason());
        return node;
    }

    private static boolean flag(ServerRequest req, String name) {
        return req.query().first(name).map(value -> value.equals("true") || value.equals("1")).orElse(false);
    }

    /** A non-negative token count from the query, 0 when absent. */
    private static long count(ServerRequest req, String name) {
        String text = req.query().first(name).orElse("0");
        try {
            long value = Long.parseLong(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ai.higress.error.GatewayException.invalidRequest("Invalid query parameter '" + name + "': expected a "
                + "non-negative whole number of tokens.", name, "invalid_value");
    }

    private static void send(ServerResponse res, ObjectNode root) {
        AdminSupport.send(res, root);
    }
}
