package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import ai.higress.schema.Json;
import ai.higress.testing.EmbeddedRedisServer;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sessions through real gateways: in-process, and shared through one real Redis. */
class SessionServerTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String OTHER_KEY = "sk-test-other-key-9876543210";

    private ScriptedUpstream a;
    private ScriptedUpstream b;

    @BeforeEach
    void start() {
        a = ScriptedUpstream.start();
        b = ScriptedUpstream.start();
        a.otherwise(Step.json(200, OpenAiChunks.completion("m", "Hello from a", 5, 3)));
        b.otherwise(Step.json(200, OpenAiChunks.completion("m", "Hello from b", 5, 3)));
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private String yaml(boolean redis, String sessions) {
        return """
                providers:
                  a: {type: openai, base-url: "%s", api-key: "sk-upstream-secret-value", models: [m]}
                  b: {type: openai, base-url: "%s", api-key: "sk-upstream-secret-value", models: [m]}
                models:
                  duo: {targets: [{provider: a, model: m, weight: 50}, {provider: b, model: m, weight: 50}]}
                auth:
                  api-keys: [{name: "s-%s", key: "%s"}, {name: "other", key: "%s"}]
                sessions: {%s}
                %s
                """.formatted(a.baseUri(), b.baseUri(), UUID.randomUUID().toString().substring(0, 8), TestGateway.KEY,
                OTHER_KEY, sessions, redis ? "redis: {url: \"" + EmbeddedRedisServer.url() + "\"}" : "");
    }

    private static String body(String text) {
        return """
                {"model":"duo","messages":[{"role":"system","content":"sys"},{"role":"user","content":"%s"}]}"""
                .formatted(text);
    }

    private static HttpResponse<String> chat(TestGateway gateway, String session, String text) {
        return gateway.send(HttpRequest.newBuilder(gateway.uri(CHAT)).header("Authorization", "Bearer " + TestGateway.KEY)
                .header("Content-Type", "application/json").header("X-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofString(body(text))).build());
    }

    private static HttpResponse<String> as(TestGateway gateway, String key, String method, String path) {
        return gateway.send(HttpRequest.newBuilder(gateway.uri(path)).header("Authorization", "Bearer " + key)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private static JsonNode session(TestGateway gateway, String id) throws Exception {
        HttpResponse<String> response = as(gateway, TestGateway.KEY, "GET", "/v1/sessions/" + id);
        assertEquals(200, response.statusCode(), response.body());
        return Json.MAPPER.readTree(response.body());
    }

    private static String provider(HttpResponse<String> response) {
        return response.headers().firstValue("x-higress-provider").orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void writesBoundedTruncatedSnippetsReadableOnlyByTheOwner(boolean redis) throws Exception {
        try (TestGateway gateway = TestGateway.start(yaml(redis, "max-turns: 3, max-chars: 5, ttl: PT1H"))) {
            String id = "conv-" + UUID.randomUUID();
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> response = chat(gateway, id, "question " + i);
                assertEquals(200, response.statusCode(), response.body());
            }
            JsonNode view = session(gateway, id);
            assertEquals(id, view.path("id").asText());
            assertEquals(3, view.path("snippets").size(), "bounded to max-turns: " + view);
            JsonNode last = view.path("snippets").get(2);
            assertEquals("quest", last.path("user").asText(), "truncated to max-chars");
            assertEquals("Hello", last.path("assistant").asText());
            assertEquals("duo", last.path("model").asText());
            assertEquals(5, last.path("prompt_tokens").asLong());
            assertEquals(3, last.path("completion_tokens").asLong());
            assertEquals(view.path("sticky").path("provider").asText(), last.path("provider").asText());
            assertEquals("m", view.path("sticky").path("model").asText());
            long ttl = view.path("ttl_seconds").asLong();
            assertTrue(ttl > 3500 && ttl <= 3600, "sliding TTL: " + ttl);

            assertEquals(404, as(gateway, OTHER_KEY, "GET", "/v1/sessions/" + id).statusCode(), "never 403");
            assertEquals(404, as(gateway, OTHER_KEY, "DELETE", "/v1/sessions/" + id).statusCode());
            assertEquals(200, as(gateway, TestGateway.KEY, "GET", "/v1/sessions/" + id).statusCode(),
                    "the other key's delete removed nothing");
            assertEquals(204, as(gateway, TestGateway.KEY, "DELETE", "/v1/sessions/" + id).statusCode());
            assertEquals(404, as(gateway, TestGateway.KEY, "GET", "/v1/sessions/" + id).statusCode());

            HttpResponse<String> bad = chat(gateway, "no spaces allowed", "hi");
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("\"param\":\"X-Session-Id\""), bad.body());
            assertTrue(gateway.get("/metrics").body().contains("higress_session_writes"));
        }
    }

    @Test
    void streamedAnswersAreRecordedWhenTheStreamEnds() throws Exception {
        a.otherwise(Step.sse(OpenAiChunks.streamOf("m", List.of("Hel", "lo"), 4, 2)));
        b.otherwise(Step.sse(OpenAiChunks.streamOf("m", List.of("Hel", "lo"), 4, 2)));
        try (TestGateway gateway = TestGateway.start(yaml(true, ""))) {
            String id = "s-" + UUID.randomUUID();
            HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri(CHAT))
                    .header("Authorization", "Bearer " + TestGateway.KEY).header("X-Session-Id", id)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"duo\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build());
            assertEquals(200, response.statusCode(), response.body());
            JsonNode snippet = session(gateway, id).path("snippets").get(0);
            assertEquals("Hello", snippet.path("assistant").asText(), snippet.toString());
            assertEquals("hi", snippet.path("user").asText());
            assertTrue(snippet.path("stream").asBoolean());
        }
    }

    @Test
    void storeTextFalseKeepsOnlyMetadata() throws Exception {
        try (TestGateway gateway = TestGateway.start(yaml(true, "store-text: false"))) {
            String id = "private-" + UUID.randomUUID();
            assertEquals(200, chat(gateway, id, "secret question").statusCode());
            JsonNode snippet = session(gateway, id).path("snippets").get(0);
            assertFalse(snippet.has("user"), snippet.toString());
            assertFalse(snippet.has("assistant"), snippet.toString());
            assertEquals(5, snippet.path("prompt_tokens").asLong());
            assertFalse(snippet.toString().contains("secret"));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aSessionKeepsItsTargetAndMovesWhenItFails(boolean redis) throws Exception {
        try (TestGateway gateway = TestGateway.start(yaml(redis, ""))) {
            String id = "sticky-" + UUID.randomUUID();
            String first = provider(chat(gateway, id, "q"));
            for (int i = 0; i < 8; i++) {
                assertEquals(first, provider(chat(gateway, id, "q" + i)), "sticks across requests");
            }
            ScriptedUpstream failing = first.equals("a") ? a : b;
            String other = first.equals("a") ? "b" : "a";
            failing.otherwise(Step.json(500, OpenAiChunks.errorEnvelope("down", "server_error", "boom")));
            HttpResponse<String> moved = chat(gateway, id, "after failure");
            assertEquals(200, moved.statusCode(), moved.body());
            assertEquals(other, provider(moved));
            JsonNode view = session(gateway, id);
            assertEquals(other, view.path("sticky").path("provider").asText());
            JsonNode snippets = view.path("snippets");
            assertEquals(first + "/m", snippets.get(snippets.size() - 1).path("moved_from").asText());

            failing.otherwise(Step.json(200, OpenAiChunks.completion("m", "Recovered", 5, 3)));
            for (int i = 0; i < 6; i++) {
                assertEquals(other, provider(chat(gateway, id, "again" + i)), "sticks to the new target");
            }
        }
    }

    @Test
    void aSessionStartedOnOneGatewayContinuesOnAnother() throws Exception {
        String config = yaml(true, "");
        try (TestGateway first = TestGateway.start(config); TestGateway second = TestGateway.start(config)) {
            String id = "shared-" + UUID.randomUUID();
            String target = provider(chat(first, id, "on A"));
            for (int i = 0; i < 6; i++) {
                assertEquals(target, provider(chat(second, id, "on B " + i)), "B keeps A's sticky target");
            }
            JsonNode view = session(second, id);
            assertEquals("on A", view.path("snippets").get(0).path("user").asText(), "B shows A's snippets");
            assertEquals(7, view.path("snippets").size());
        }
    }
}
