package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.higress.schema.Json;
import ai.higress.testing.EmbeddedRedisServer;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Model catalog aggregation: discovered upstream lists, served from cache, shared through Redis. */
class CatalogServerTest {
    private static final String ADMIN = "admin-token-0123456789abcdef";
    private static final String UPSTREAM_KEY = "sk-upstream-secret-0123456789";
    private static final String LIST = """
            {"object": "list", "data": [{"id": "conf-1", "object": "model"}, {"id": "disc-1", "object": "model"},
             {"id": "disc-2", "object": "model"}]}""";

    private ScriptedUpstream up;
    private ScriptedUpstream quiet;
    private final List<TestGateway> gateways = new ArrayList<>();
    private boolean usedRedis;

    @BeforeEach
    void start() {
        up = ScriptedUpstream.start();
        quiet = ScriptedUpstream.start();
        up.otherwise(Step.json(200, LIST));
        quiet.otherwise(Step.json(200, LIST));
    }

    @AfterEach
    void stop() {
        gateways.forEach(TestGateway::close);
        if (usedRedis) {
            EmbeddedRedisServer.stop(); // empties it: other tests scan every key of the shared Redis
            EmbeddedRedisServer.restart();
        }
        up.close();
        quiet.close();
    }

    private TestGateway gateway(String extra) {
        TestGateway gateway = TestGateway.start("""
                providers:
                  up: {type: openai, base-url: "%s", api-key: "%s", models: [conf-1]}
                  quiet: {type: openai, base-url: "%s", api-key: "%s", models: [q-1], discover-models: false}
                models:
                  smart: {targets: [{provider: up, model: conf-1}]}
                catalog: {discover: true, refresh-interval: PT1H}
                admin: {token: "%s"}
                %s
                """.formatted(up.baseUri(), UPSTREAM_KEY, quiet.baseUri(), UPSTREAM_KEY, ADMIN, extra));
        gateways.add(gateway);
        return gateway;
    }

    private static List<String> ids(TestGateway gateway) {
        HttpResponse<String> response = gateway.get("/v1/models");
        assertEquals(200, response.statusCode(), response.body());
        List<String> ids = new ArrayList<>();
        parse(response.body()).path("data").forEach(model -> ids.add(model.path("id").asText()));
        return ids;
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> refresh(TestGateway gateway, String token) {
        return gateway.send(HttpRequest.newBuilder(gateway.uri("/admin/api/catalog/refresh"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void discoveredModelsAreListedFromCacheAndDeduplicated() {
        TestGateway gateway = gateway("");
        assertTrue(up.awaitCallCount(1, Duration.ofSeconds(5)), "the background refresh fetched the list");
        assertEquals("GET", up.lastRequest().method());
        assertTrue(up.lastRequest().path().endsWith("/models"), up.lastRequest().path());
        assertEquals(List.of("Bearer " + UPSTREAM_KEY), up.lastRequest().headers().entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase("authorization")).findFirst().orElseThrow().getValue());
        List<String> expected = List.of("smart", "quiet/q-1", "up/conf-1", "up/disc-1", "up/disc-2");
        for (int i = 0; i < 5; i++) {
            assertEquals(expected, ids(gateway), "configured first, conf-1 not listed twice");
        }
        assertEquals(1, up.callCount(), "no upstream call on the request path");
        assertEquals(0, quiet.callCount(), "discover-models: false is honoured");

        HttpResponse<String> one = gateway.get("/v1/models/up/disc-2");
        assertEquals(200, one.statusCode(), one.body());
        assertEquals("up", parse(one.body()).path("owned_by").asText());
        assertEquals(1, up.callCount());
    }

    @Test
    void failedFetchKeepsTheLastGoodListAndAdminRefreshReports() {
        TestGateway gateway = gateway("");
        assertTrue(up.awaitCallCount(1, Duration.ofSeconds(5)));
        assertTrue(ids(gateway).contains("up/disc-1"));

        up.otherwise(Step.json(500, OpenAiChunks.errorEnvelope("down", "server_error", null)));
        HttpResponse<String> response = refresh(gateway, ADMIN);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode report = parse(response.body()).path("providers").path("up");
        assertFalse(report.path("fetched").asBoolean(true));
        assertEquals(3, report.path("models").asInt());
        assertTrue(parse(response.body()).path("providers").path("quiet").isMissingNode());
        assertEquals(List.of("smart", "quiet/q-1", "up/conf-1", "up/disc-1", "up/disc-2"), ids(gateway));
        assertTrue(gateway.get("/metrics").body().contains("higress_catalog_fetch_failures"));

        up.otherwise(Step.json(200, """
                {"object": "list", "data": [{"id": "disc-3"}]}"""));
        response = refresh(gateway, ADMIN);
        assertTrue(parse(response.body()).path("providers").path("up").path("fetched").asBoolean());
        assertEquals(List.of("smart", "quiet/q-1", "up/conf-1", "up/disc-3"), ids(gateway));
    }

    @Test
    void viewersMayNotRefresh() {
        TestGateway gateway = gateway("");
        HttpResponse<String> created = gateway.send(HttpRequest.newBuilder(gateway.uri("/admin/api/users"))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\": \"vera\", \"password\": \"viewer-password-123\", \"role\": \"viewer\"}"))
                .build());
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> login = gateway.send(HttpRequest.newBuilder(gateway.uri("/admin/api/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\": \"vera\", \"password\": \"viewer-password-123\"}")).build());
        String token = parse(login.body()).path("token").asText();
        assertEquals(403, refresh(gateway, token).statusCode());
        assertEquals(401, refresh(gateway, "wrong").statusCode());
    }

    @Test
    void aRefreshOnOneReplicaIsServedByAnotherFromRedis() throws InterruptedException {
        EmbeddedRedisServer.stop();
        EmbeddedRedisServer.restart();
        usedRedis = true;
        String redis = "redis: {url: \"" + EmbeddedRedisServer.url() + "\"}";
        TestGateway a = gateway(redis);
        assertTrue(up.awaitCallCount(1, Duration.ofSeconds(5)));
        Thread.sleep(200);
        TestGateway b = gateway(redis);
        Thread.sleep(500);
        assertEquals(List.of("smart", "quiet/q-1", "up/conf-1", "up/disc-1", "up/disc-2"), ids(b));
        assertEquals(1, up.callCount(), "B found a fresh shared catalog and fetched nothing");

        up.otherwise(Step.json(200, """
                {"object": "list", "data": [{"id": "disc-9"}]}"""));
        assertEquals(200, refresh(a, ADMIN).statusCode());
        assertEquals(2, up.callCount());
        assertEquals(List.of("smart", "quiet/q-1", "up/conf-1", "up/disc-9"), ids(b));
        assertEquals(200, b.get("/v1/models/up/disc-9").statusCode());
        assertEquals(2, up.callCount());
    }
}
