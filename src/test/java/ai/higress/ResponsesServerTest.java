package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import ai.higress.schema.Json;
import ai.higress.testing.EmbeddedRedisServer;
import ai.higress.testing.Frame;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.OpenAiSchema;
import ai.higress.testing.RecordedRequest;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.RedisClient;

/**
 * {@code /v1/responses} through a real gateway: translated to an upstream that speaks chat completions only, relayed
 * untouched to one that serves the Responses API, and continued with {@code previous_response_id} from the gateway's
 * store, in process and on a real Redis.
 */
class ResponsesServerTest {
    private static final String RESPONSES = "/v1/responses";
    private static final String OTHER_KEY = "sk-test-other-key-9876543210";

    private ScriptedUpstream chat;
    private ScriptedUpstream native_;
    private boolean usedRedis;

    @BeforeEach
    void start() {
        chat = ScriptedUpstream.start();
        native_ = ScriptedUpstream.start();
    }

    @AfterEach
    void stop() {
        chat.close();
        native_.close();
        if (usedRedis) {
            // other tests scan every key of the shared Redis
            try (RedisClient client = RedisClient.create(java.net.URI.create(EmbeddedRedisServer.url()))) {
                client.keys("higress:response:*").forEach(client::del);
                client.keys("higress:response-owner:*").forEach(client::del);
            }
        }
    }

    /** {@code chat} serves chat completions only; {@code native} serves the Responses API too. */
    private String yaml(boolean redis) {
        usedRedis |= redis;
        return """
                providers:
                  chat: {type: openai, base-url: "%s", api-key: "sk-upstream-secret-value", models: [m]}
                  native: {type: openai, base-url: "%s", api-key: "sk-upstream-secret-value", models: [n],
                           responses-api: true}
                models:
                  translated: {targets: [{provider: chat, model: m}]}
                  relayed: {targets: [{provider: native, model: n}]}
                  mixed: {strategy: priority, targets: [{provider: native, model: n, priority: 0},
                                                        {provider: chat, model: m, priority: 1}]}
                auth:
                  api-keys: [{name: "r-%s", key: "%s"}, {name: "o-%s", key: "%s"}]
                %s
                """.formatted(chat.baseUri(), native_.baseUri(), UUID.randomUUID().toString().substring(0, 8),
                TestGateway.KEY, UUID.randomUUID().toString().substring(0, 8), OTHER_KEY,
                redis ? "redis: {url: \"" + EmbeddedRedisServer.url() + "\"}" : "");
    }

    private static HttpResponse<String> as(TestGateway gateway, String key, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json");
        return gateway.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    /** The {@code data:} payloads of a stream's events, parsed, each checked against its event name. */
    private static List<JsonNode> events(TestGateway.StreamedResponse streamed) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        String name = null;
        for (String line : streamed.lines()) {
            if (line.startsWith("event: ")) {
                name = line.substring(7);
            } else if (line.startsWith("data: ")) {
                JsonNode event = json(line.substring(6));
                assertEquals(event.path("type").asText(), name, "event name = type: " + line);
                events.add(event);
                name = null;
            }
        }
        return events;
    }

    // ------------------------------------------------------------------ translated to chat completions

    @Test
    void translatesAJsonRequestToChatCompletionsAndAnswersAResponse() throws Exception {
        chat.enqueue(Step.json(200, OpenAiChunks.completion("m-2025", "Hello there", 12, 3)));
        try (TestGateway gateway = TestGateway.start(yaml(false))) {
            HttpResponse<String> response = gateway.post(RESPONSES, """
                    {"model":"translated","instructions":"Be brief.","input":"Hi","max_output_tokens":64,
                     "metadata":{"run":"1"}}""");
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = json(response.body());
            OpenAiSchema.assertResponse(body);
            assertTrue(body.path("id").asText().startsWith("resp_"));
            assertEquals("completed", body.path("status").asText());
            assertEquals("m-2025", body.path("model").asText());
            assertEquals("Hello there", body.at("/output/0/content/0/text").asText());
            assertEquals(12, body.at("/usage/input_tokens").asInt());
            assertEquals("Be brief.", body.path("instructions").asText());
            assertEquals("1", body.at("/metadata/run").asText());

            RecordedRequest upstream = chat.lastRequest();
            assertEquals("/v1/chat/completions", upstream.path());
            assertEquals(json("""
                    {"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],
                     "max_completion_tokens":64}"""), upstream.json());
        }
    }

    @Test
    void translatesAStreamIntoTheResponsesEventSequence() throws Exception {
        chat.enqueue(Step.sse(OpenAiChunks.streamOf("m", List.of("Hel", "lo"), true)));
        try (TestGateway gateway = TestGateway.start(yaml(false))) {
            TestGateway.StreamedResponse streamed = gateway.stream(RESPONSES,
                    "{\"model\":\"translated\",\"input\":\"Hi\",\"stream\":true}");
            assertEquals(200, streamed.status(), streamed.body());
            List<JsonNode> events = events(streamed);
            List<String> types = events.stream().map(event -> event.path("type").asText()).toList();
            assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                    "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                    "response.output_text.done", "response.content_part.done", "response.output_item.done",
                    "response.completed"), types);
            for (int i = 0; i < events.size(); i++) {
                assertEquals(i, events.get(i).path("sequence_number").asInt());
                OpenAiSchema.assertStreamEvent(events.get(i));
            }
            JsonNode completed = events.getLast().path("response");
            assertEquals("Hello", completed.at("/output/0/content/0/text").asText());
            assertEquals(10, completed.at("/usage/input_tokens").asInt());
            assertFalse(streamed.body().contains("[DONE]"));
            assertTrue(chat.lastRequest().json().at("/stream_options/include_usage").asBoolean());
        }
    }

    // ------------------------------------------------------------------ relayed to a Responses upstream

    @Test
    void relaysAJsonRequestUntouchedToAnUpstreamThatServesResponses() throws Exception {
        String upstreamBody = fixture("upstream-response.json");
        native_.enqueue(Step.json(200, upstreamBody));
        try (TestGateway gateway = TestGateway.start(yaml(false))) {
            String body = """
                    {"model":"relayed","input":[{"role":"user","content":[{"type":"input_text","text":"Hi"}]}],
                     "include":["reasoning.encrypted_content"],"store":true}""";
            HttpResponse<String> response = gateway.post(RESPONSES, body);
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(upstreamBody, response.body());
            RecordedRequest upstream = native_.lastRequest();
            assertEquals("/v1/responses", upstream.path());
            JsonNode sent = json(body);
            ((com.fasterxml.jackson.databind.node.ObjectNode) sent).put("model", "n");
            assertEquals(sent, upstream.json());
            assertEquals(0, chat.callCount());
            // the gateway keeps what it relayed too
            JsonNode stored = json(as(gateway, TestGateway.KEY, "GET", RESPONSES + "/resp_upstream0001", null).body());
            assertEquals(json(upstreamBody), stored);
        }
    }

    @Test
    void relaysAStreamUntouchedToAnUpstreamThatServesResponses() throws Exception {
        native_.enqueue(Step.sse(frames("upstream-stream.sse")));
        try (TestGateway gateway = TestGateway.start(yaml(false))) {
            TestGateway.StreamedResponse streamed = gateway.stream(RESPONSES,
                    "{\"model\":\"relayed\",\"input\":\"Hi\",\"stream\":true}");
            assertEquals(200, streamed.status(), streamed.body());
            assertEquals(fixture("upstream-stream.sse").strip(), streamed.body().strip());
            assertEquals("/v1/responses", native_.lastRequest().path());
            assertTrue(native_.lastRequest().json().path("stream").asBoolean());
            assertFalse(native_.lastRequest().json().has("stream_options"));
        }
    }

    @Test
    void anUpstreamErrorBeforeAnyOutputFailsOverToTheNextTarget() throws Exception {
        native_.enqueue(Step.sse(frames("upstream-stream-error.sse")));
        chat.enqueue(Step.sse(OpenAiChunks.streamOf("m", List.of("Fallback"), true)));
        try (TestGateway gateway = TestGateway.start(yaml(false))) {
            TestGateway.StreamedResponse streamed = gateway.stream(RESPONSES,
                    "{\"model\":\"mixed\",\"input\":\"Hi\",\"stream\":true}");
            assertEquals(200, streamed.status(), streamed.body());
            List<JsonNode> events = events(streamed);
            assertEquals("response.created", events.getFirst().path("type").asText());
            assertEquals(0, events.getFirst().path("sequence_number").asInt());
            assertEquals("Fallback", events.getLast().at("/response/output/0/content/0/text").asText());
            assertFalse(streamed.body().contains("resp_upstream0001"), "nothing of the failed attempt is sent");
            assertEquals(1, native_.callCount());
            assertEquals(1, chat.callCount());
            assertEquals("2", streamed.response().headers().firstValue("x-higress-attempts").orElse(""));
        }
    }

    @Test
    void aStreamBrokenAfterTheFirstEventEndsWithTheApiErrorEvent() throws Exception {
        chat.enqueue(Step.sse(List.of(Frame.data(OpenAiChunks.roleChunk("m")),
                Frame.data(OpenAiChunks.chunk("m", "Par")), Frame.truncate())));
        try (TestGateway gateway = TestGateway.start(yaml(false))) {
            TestGateway.StreamedResponse streamed = gateway.stream(RESPONSES,
                    "{\"model\":\"translated\",\"input\":\"Hi\",\"stream\":true}");
            List<JsonNode> events = events(streamed);
            JsonNode error = events.getLast();
            assertEquals("error", error.path("type").asText());
            assertEquals(events.size() - 1, error.path("sequence_number").asInt());
            OpenAiSchema.assertStreamEvent(error);
            assertTrue(error.path("code").isTextual());
            assertFalse(streamed.body().contains("response.completed"));
            assertFalse(streamed.body().contains("[DONE]"));
        }
    }

    // ------------------------------------------------------------------ previous_response_id and the store

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aContinuationSendsTheStoredConversationUpstream(boolean redis) throws Exception {
        chat.enqueue(Step.json(200, OpenAiChunks.completion("m", "Paris.", 10, 2)))
                .enqueue(Step.json(200, OpenAiChunks.completion("m", "About 2.1 million.", 20, 5)));
        String yaml = yaml(redis);
        // with Redis, a second gateway (the same key, another replica) continues what the first one answered
        try (TestGateway first = TestGateway.start(yaml); TestGateway second = redis ? TestGateway.start(yaml) : null) {
            String id = json(first.post(RESPONSES, """
                    {"model":"translated","instructions":"Answer briefly.","input":"Capital of France?"}""").body())
                    .path("id").asText();
            TestGateway continuing = redis ? second : first;
            HttpResponse<String> next = continuing.post(RESPONSES, """
                    {"model":"translated","previous_response_id":"%s","input":"Its population?"}""".formatted(id));
            assertEquals(200, next.statusCode(), next.body());
            assertEquals(id, json(next.body()).path("previous_response_id").asText());
            assertEquals(json("""
                    [{"role":"user","content":"Capital of France?"},{"role":"assistant","content":"Paris."},
                     {"role":"user","content":"Its population?"}]"""), chat.lastRequest().json().path("messages"),
                    "the first turn's instructions are not inherited");
        }
    }

    @Test
    void storeFalseKeepsNothing() throws Exception {
        chat.enqueue(Step.json(200, OpenAiChunks.completion("m", "Paris.", 10, 2)));
        try (TestGateway gateway = TestGateway.start(yaml(false))) {
            JsonNode answer = json(gateway.post(RESPONSES,
                    "{\"model\":\"translated\",\"input\":\"Hi\",\"store\":false}").body());
            assertFalse(answer.path("store").asBoolean());
            String id = answer.path("id").asText();
            assertEquals(404, as(gateway, TestGateway.KEY, "GET", RESPONSES + "/" + id, null).statusCode());
            HttpResponse<String> next = gateway.post(RESPONSES, """
                    {"model":"translated","previous_response_id":"%s","input":"And?"}""".formatted(id));
            assertEquals(400, next.statusCode());
            JsonNode error = json(next.body()).path("error");
            assertEquals("previous_response_not_found", error.path("code").asText());
            assertEquals("previous_response_id", error.path("param").asText());
            assertEquals(1, chat.callCount());
        }
    }

    @Test
    void anUnknownPreviousResponseGoesOnlyToTargetsThatServeResponses() throws Exception {
        native_.enqueue(Step.json(200, fixture("upstream-response.json")));
        try (TestGateway gateway = TestGateway.start(yaml(false))) {
            HttpResponse<String> response = gateway.post(RESPONSES, """
                    {"model":"mixed","previous_response_id":"resp_held_upstream","input":"And?"}""");
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("resp_held_upstream", native_.lastRequest().json().path("previous_response_id").asText(),
                    "the upstream that holds the id is asked with it");
            assertEquals(0, chat.callCount());
        }
    }

    @Test
    void aStoredPreviousResponseIsExpandedForARelayedTarget() throws Exception {
        chat.enqueue(Step.json(200, OpenAiChunks.completion("m", "Paris.", 10, 2)));
        native_.enqueue(Step.json(200, fixture("upstream-response.json")));
        try (TestGateway gateway = TestGateway.start(yaml(false))) {
            String id = json(gateway.post(RESPONSES, "{\"model\":\"translated\",\"input\":\"Capital?\"}").body())
                    .path("id").asText();
            assertEquals(200, gateway.post(RESPONSES, """
                    {"model":"relayed","previous_response_id":"%s","input":"And?"}""".formatted(id)).statusCode());
            JsonNode sent = native_.lastRequest().json();
            assertFalse(sent.has("previous_response_id"), "the upstream never saw the gateway's id");
            assertEquals(json("""
                    [{"type":"message","role":"user","content":"Capital?"},
                     {"type":"message","role":"assistant","content":"Paris."},
                     {"type":"message","role":"user","content":"And?"}]"""), sent.path("input"));
        }
    }

    @Test
    void oneKeyCannotReadContinueOrDeleteAnothersResponse() throws Exception {
        chat.enqueue(Step.json(200, OpenAiChunks.completion("m", "Secret.", 10, 2)));
        try (TestGateway gateway = TestGateway.start(yaml(false))) {
            String id = json(gateway.post(RESPONSES, "{\"model\":\"translated\",\"input\":\"Hi\"}").body())
                    .path("id").asText();
            assertEquals(404, as(gateway, OTHER_KEY, "GET", RESPONSES + "/" + id, null).statusCode());
            assertEquals(404, as(gateway, OTHER_KEY, "DELETE", RESPONSES + "/" + id, null).statusCode());
            HttpResponse<String> next = as(gateway, OTHER_KEY, "POST", RESPONSES, """
                    {"model":"translated","previous_response_id":"%s","input":"And?"}""".formatted(id));
            assertEquals("previous_response_not_found", json(next.body()).at("/error/code").asText());
            assertEquals(200, as(gateway, TestGateway.KEY, "GET", RESPONSES + "/" + id, null).statusCode());
        }
    }

    @Test
    void anUpstreamIsNeverAskedToContinueAnotherKeysResponse() throws Exception {
        native_.enqueue(Step.json(200, fixture("upstream-response.json")))
                .enqueue(Step.json(200, fixture("upstream-response.json").replace("resp_upstream0001", "resp_next")));
        try (TestGateway gateway = TestGateway.start(yaml(false))) {
            // one key's answer from an upstream that keeps it too: the upstream would continue it for anyone
            assertEquals(200, gateway.post(RESPONSES, "{\"model\":\"relayed\",\"input\":\"Hi\"}").statusCode());
            HttpResponse<String> stolen = as(gateway, OTHER_KEY, "POST", RESPONSES, """
                    {"model":"relayed","previous_response_id":"resp_upstream0001","input":"What did they say?"}""");
            assertEquals(400, stolen.statusCode());
            assertEquals("previous_response_not_found", json(stolen.body()).at("/error/code").asText());
            // an answer continuing a response held upstream is claimed for its key as well
            assertEquals(200, gateway.post(RESPONSES, """
                    {"model":"relayed","previous_response_id":"resp_outside","input":"And?"}""").statusCode());
            assertEquals(400, as(gateway, OTHER_KEY, "POST", RESPONSES, """
                    {"model":"relayed","previous_response_id":"resp_next","input":"And?"}""").statusCode());
            assertEquals(2, native_.callCount());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aStoredResponseCanBeReadAndDeleted(boolean redis) throws Exception {
        chat.enqueue(Step.sse(OpenAiChunks.streamOf("m", List.of("Stored"), true)));
        try (TestGateway gateway = TestGateway.start(yaml(redis))) {
            List<JsonNode> events = events(gateway.stream(RESPONSES,
                    "{\"model\":\"translated\",\"input\":\"Hi\",\"stream\":true}"));
            JsonNode completed = events.getLast().path("response");
            String id = completed.path("id").asText();
            HttpResponse<String> read = as(gateway, TestGateway.KEY, "GET", "/responses/" + id, null);
            assertEquals(200, read.statusCode());
            assertEquals(completed, json(read.body()));
            HttpResponse<String> deleted = as(gateway, TestGateway.KEY, "DELETE", RESPONSES + "/" + id, null);
            assertEquals(json("{\"id\":\"" + id + "\",\"object\":\"response\",\"deleted\":true}"),
                    json(deleted.body()));
            HttpResponse<String> gone = as(gateway, TestGateway.KEY, "GET", RESPONSES + "/" + id, null);
            assertEquals(404, gone.statusCode());
            assertEquals("not_found", json(gone.body()).at("/error/code").asText());
        }
    }

    @Test
    void refusesWhatItCannotHonourWithTheParameterNamed() throws Exception {
        try (TestGateway gateway = TestGateway.start(yaml(false))) {
            HttpResponse<String> response = gateway.post(RESPONSES, """
                    {"model":"mixed","input":"Hi","tools":[{"type":"function","name":"f"},{"type":"web_search"}]}""");
            assertEquals(400, response.statusCode());
            assertEquals("tools[1].type", json(response.body()).at("/error/param").asText());
            assertEquals(0, native_.callCount() + chat.callCount());
        }
    }

    @Test
    void createdResponsesAreLoggedAsModelRequestsAndReadsOfStoredOnesAreNot() throws Exception {
        chat.enqueue(Step.json(200, OpenAiChunks.completion("m", "Logged.", 7, 2)));
        String admin = "admin-token-0123456789abcdef";
        try (TestGateway gateway = TestGateway.start(yaml(false) + "admin: {token: \"" + admin + "\"}\n")) {
            assertEquals(404, as(gateway, TestGateway.KEY, "GET", RESPONSES + "/resp_none", null).statusCode());
            assertEquals(200, gateway.post(RESPONSES, "{\"model\":\"translated\",\"input\":\"Hi\"}").statusCode());
            JsonNode page = null;
            for (int i = 0; i < 500 && (page == null || page.path("total").asInt() < 1); i++) {
                Thread.sleep(20);
                page = json(as(gateway, admin, "GET", "/admin/api/usage", null).body());
            }
            assertEquals(1, page.path("total").asInt(), "the earlier read is not in the log: " + page);
            JsonNode entry = page.at("/data/0");
            assertEquals("responses", entry.path("route").asText(), entry.toString());
            assertEquals(7, entry.path("prompt_tokens").asInt(), entry.toString());
        }
    }

    @Test
    void sessionsRecordTheResponsesAnswerText() throws Exception {
        chat.enqueue(Step.sse(OpenAiChunks.streamOf("m", List.of("Hel", "lo"), true)));
        try (TestGateway gateway = TestGateway.start(yaml(false))) {
            gateway.send(HttpRequest.newBuilder(gateway.uri(RESPONSES))
                    .header("Authorization", "Bearer " + TestGateway.KEY).header("Content-Type", "application/json")
                    .header("X-Session-Id", "s-1")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"translated\",\"input\":\"Hi\",\"stream\":true}")).build());
            JsonNode session = json(as(gateway, TestGateway.KEY, "GET", "/v1/sessions/s-1", null).body());
            JsonNode snippet = session.at("/snippets/0");
            assertEquals("Hi", snippet.path("user").asText());
            assertEquals("Hello", snippet.path("assistant").asText());
        }
    }

    private static String fixture(String name) throws Exception {
        try (var in = ResponsesServerTest.class.getResourceAsStream("/fixtures/responses/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** An SSE fixture as one frame per event, as an upstream would write them. */
    private static List<Frame> frames(String name) throws Exception {
        List<Frame> frames = new ArrayList<>();
        for (String event : fixture(name).split("\n\n")) {
            if (!event.isBlank()) {
                frames.add(Frame.raw(event + "\n\n"));
            }
        }
        return frames;
    }
}
