package ai.higress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.higress.schema.Json;
import ai.higress.testing.Frame;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.RecordedRequest;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request path end to end over real sockets: gateway in front of scripted, fault-injecting upstreams. */
class GatewayServerTest {
    private static final String UPSTREAM_KEY_A = "sk-upstream-a-secret-value";
    private static final String CHAT = "/v1/chat/completions";

    private ScriptedUpstream upstreamA;
    private ScriptedUpstream upstreamB;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        upstreamA = ScriptedUpstream.start();
        upstreamB = ScriptedUpstream.start();
        gateway = TestGateway.start("""
                providers:
                  a: {type: openai, base-url: "%s", api-key: "%s", models: [m-a]}
                  b: {type: openai, base-url: "%s", api-key: "sk-upstream-b-secret-value", models: [m-b]}
                models:
                  one: {targets: [{provider: a, model: m-a}]}
                  both: {targets: [{provider: a, model: m-a, weight: 1000000}, {provider: b, model: m-b, weight: 1}]}
                timeouts: {connect: PT1S, first-token: PT0.4S, idle: PT0.4S, request: PT1S, stream: PT5S}
                limits: {max-request-bytes: 4096}
                """.formatted(upstreamA.baseUri(), UPSTREAM_KEY_A, upstreamB.baseUri()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstreamA.close();
        upstreamB.close();
    }

    @Test
    void nonStreamingRewritesOnlyTheModelAndKeepsCredentialsApart() {
        String upstreamBody = OpenAiChunks.completion("m-a", "Hello", 5, 2);
        upstreamA.enqueue(Step.json(200, upstreamBody));
        String body = """
                {"model":"one","messages":[{"role":"user","content":"Hi"}],"temperature":0.2,"seed":7,
                 "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],
                 "tool_choice":"auto","response_format":{"type":"json_object"},"n":1,"logprobs":false,
                 "vendor_extension":{"keep":["me"]}}""";
        HttpResponse<String> response = gateway.send(java.net.http.HttpRequest.newBuilder(gateway.uri(CHAT))
                .header("Authorization", "Bearer " + TestGateway.KEY).header("x-request-id", "my-req-1")
                .header("OpenAI-Organization", "org-client").header("Upgrade-Insecure-Requests", "1")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());

        assertEquals(200, response.statusCode());
        assertEquals(upstreamBody, response.body(), "the upstream body is relayed byte for byte");
        assertEquals("a", response.headers().firstValue("x-higress-provider").orElseThrow());
        assertEquals("m-a", response.headers().firstValue("x-higress-model").orElseThrow());
        assertEquals("1", response.headers().firstValue("x-higress-attempts").orElseThrow());
        assertEquals("my-req-1", response.headers().firstValue("x-request-id").orElseThrow());

        RecordedRequest sent = upstreamA.lastRequest();
        assertEquals("/v1/chat/completions", sent.path());
        assertEquals("Bearer " + UPSTREAM_KEY_A, sent.header("authorization").orElseThrow());
        assertEquals("my-req-1", sent.header("x-request-id").orElseThrow());
        assertTrue(sent.header("openai-organization").isEmpty(), "client headers are not forwarded");
        sent.headers().forEach((name, values) -> values.forEach(value -> assertFalse(
                value.contains(TestGateway.KEY), "client key leaked upstream in header " + name)));
        ObjectNode expected = (ObjectNode) parse(body);
        expected.put("model", "m-a");
        assertEquals(expected, sent.json(), "everything but the model passes through unchanged");
    }

    @Test
    void anAzureDeploymentPathKeepsItsQueryString() {
        try (ScriptedUpstream azure = ScriptedUpstream.start()) {
            azure.enqueue(Step.json(200, OpenAiChunks.completion("dep", "Hello", 5, 2)));
            try (TestGateway azureGateway = TestGateway.start("""
                    providers:
                      az: {type: openai, preset: azure, base-url: "%s", api-key: "az-key-0123456789", models: [dep]}
                    """.formatted(azure.baseUri()))) {
                HttpResponse<String> response = azureGateway.post(CHAT, chatBody("az/dep", false, ""));
                assertEquals(200, response.statusCode(), response.body());
                assertEquals("/v1/deployments/dep/chat/completions?api-version=2024-10-21", azure.lastRequest().path(),
                        "the '?' must not be percent-encoded into the path");
            }
        }
    }

    @Test
    void streamingRelaysEventsAndHidesUsageTheClientDidNotAskFor() {
        upstreamA.enqueue(Step.sse(OpenAiChunks.streamOf("m-a", List.of("Hel", "lo"), true)));
        TestGateway.StreamedResponse stream = gateway.stream(chatBody("one", true, ""));

        assertEquals(200, stream.status());
        assertTrue(stream.response().headers().firstValue("content-type").orElseThrow()
                .startsWith("text/event-stream"));
        List<String> data = stream.data();
        assertEquals(List.of("", "Hel", "lo"), data.subList(0, 3).stream().map(GatewayServerTest::content).toList());
        assertEquals("stop", parse(data.get(3)).path("choices").path(0).path("finish_reason").asText());
        assertEquals(List.of("[DONE]"), data.subList(4, data.size()), "the usage chunk is hidden");
        assertTrue(upstreamA.lastRequest().json().path("stream_options").path("include_usage").asBoolean(),
                "usage is always requested upstream");
    }

    @Test
    void streamingKeepsTheUsageChunkWhenTheClientAskedForIt() {
        upstreamA.enqueue(Step.sse(OpenAiChunks.streamOf("m-a", List.of("Hi"), 12, 1)));
        TestGateway.StreamedResponse stream = gateway.stream(
                chatBody("one", true, ",\"stream_options\":{\"include_usage\":true}"));

        List<String> data = stream.data();
        JsonNode usage = parse(data.get(data.size() - 2)).path("usage");
        assertEquals(12, usage.path("prompt_tokens").asInt());
        assertEquals("[DONE]", data.getLast());
    }

    @Test
    void silentFirstTokenFailsOverToTheNextTargetBeforeTheCommitPoint() {
        upstreamA.enqueue(Step.sse(List.of(Frame.stall(Duration.ofSeconds(3)), Frame.data(OpenAiChunks.chunk("m-a", "late")))));
        upstreamB.enqueue(Step.sse(OpenAiChunks.streamOf("m-b", List.of("from b"), false)));

        TestGateway.StreamedResponse stream = gateway.stream(chatBody("both", true, ""));

        assertEquals(200, stream.status());
        assertEquals("b", stream.response().headers().firstValue("x-higress-provider").orElseThrow());
        assertEquals("2", stream.response().headers().firstValue("x-higress-attempts").orElseThrow());
        assertTrue(stream.data().stream().anyMatch(line -> line.contains("from b")));
        assertEquals(1, upstreamA.callCount());
        assertEquals(1, upstreamB.callCount());
    }

    @Test
    void slowHeadersOnASingleTargetAreRetriedThenGiveA504() {
        upstreamA.otherwise(Step.delayed(Duration.ofSeconds(3), Step.sse(OpenAiChunks.streamOf("m-a", List.of("x"), false))));
        TestGateway.StreamedResponse stream = gateway.stream(chatBody("one", true, ""));

        assertEquals(504, stream.status());
        assertEquals(3, upstreamA.callCount(), "limits.max-attempts attempts on the only target");
        assertEquals("upstream_timeout", parse(stream.body()).path("error").path("code").asText());
    }

    @Test
    void stallMidStreamEndsWithAnErrorEventAndNoDone() {
        upstreamA.enqueue(Step.sse(List.of(Frame.data(OpenAiChunks.roleChunk("m-a")),
                Frame.data(OpenAiChunks.chunk("m-a", "Hel")), Frame.stall(Duration.ofSeconds(3)),
                Frame.data(OpenAiChunks.chunk("m-a", "lo")), Frame.done())));

        TestGateway.StreamedResponse stream = gateway.stream(chatBody("both", true, ""));

        assertEquals(200, stream.status());
        List<String> data = stream.data();
        assertEquals("Hel", content(data.get(1)));
        JsonNode error = parse(data.getLast()).path("error");
        assertEquals("upstream_timeout", error.path("code").asText());
        assertFalse(data.contains("[DONE]"));
        assertEquals(0, upstreamB.callCount(), "no failover after the commit point");
    }

    @Test
    void streamThatBreaksOffIsReportedAsAnError() {
        upstreamA.enqueue(Step.sse(List.of(Frame.data(OpenAiChunks.roleChunk("m-a")),
                Frame.data(OpenAiChunks.chunk("m-a", "Hel")), Frame.truncate())));

        List<String> data = gateway.stream(chatBody("one", true, "")).data();

        assertTrue(parse(data.getLast()).has("error"), "last event is an error: " + data);
        assertFalse(data.contains("[DONE]"));
    }

    @Test
    void streamThatEndsWithoutDoneIsReportedAsAnError() {
        upstreamA.enqueue(Step.sse(List.of(Frame.data(OpenAiChunks.roleChunk("m-a")),
                Frame.data(OpenAiChunks.chunk("m-a", "Hel")))));

        List<String> data = gateway.stream(chatBody("one", true, "")).data();

        assertEquals("upstream_protocol_error", parse(data.getLast()).path("error").path("code").asText());
        assertFalse(data.contains("[DONE]"));
    }

    @Test
    void errorEventBeforeAnyContentFailsOver() {
        upstreamA.enqueue(Step.sse(List.of(Frame.data(
                OpenAiChunks.errorEnvelope("The server had an error", "server_error", "")))));
        upstreamB.enqueue(Step.sse(OpenAiChunks.streamOf("m-b", List.of("ok"), false)));

        TestGateway.StreamedResponse stream = gateway.stream(chatBody("both", true, ""));

        assertEquals(200, stream.status());
        assertTrue(stream.data().contains("[DONE]"));
        assertEquals(1, upstreamB.callCount());
    }

    @Test
    void connectionResetFailsOverToTheNextTarget() {
        upstreamA.enqueue(Step.reset());
        upstreamB.enqueue(Step.json(200, OpenAiChunks.completion("m-b", "saved", 3, 1)));

        HttpResponse<String> response = gateway.post(CHAT, chatBody("both", false, ""));

        assertEquals(200, response.statusCode());
        assertEquals("b", response.headers().firstValue("x-higress-provider").orElseThrow());
        assertEquals(1, upstreamA.callCount());
        assertEquals(1, upstreamB.callCount());
    }

    @Test
    void connectionResetOnTheOnlyTargetIsA502() {
        upstreamA.enqueue(Step.reset());
        HttpResponse<String> response = gateway.post(CHAT, chatBody("one", false, ""));

        assertEquals(502, response.statusCode());
        assertEquals("upstream_error", parse(response.body()).path("error").path("type").asText());
    }

    @Test
    void htmlErrorPageBecomesAJsonError() {
        upstreamA.otherwise(Step.html(502, "<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"));
        HttpResponse<String> response = gateway.post(CHAT, chatBody("one", false, ""));

        assertEquals(502, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
        assertFalse(response.body().contains("<html"), response.body());
        assertTrue(parse(response.body()).path("error").path("message").asText().contains("HTML"));
    }

    @Test
    void clientErrorsFromUpstreamAreReturnedAtOnceWithoutFailover() {
        upstreamA.enqueue(Step.json(400, OpenAiChunks.errorEnvelope(
                "Unsupported parameter: 'max_tokens'", "invalid_request_error", "unsupported_parameter")));
        HttpResponse<String> response = gateway.post(CHAT, chatBody("both", false, ""));

        assertEquals(400, response.statusCode());
        JsonNode error = parse(response.body()).path("error");
        assertEquals("Unsupported parameter: 'max_tokens'", error.path("message").asText());
        assertEquals("unsupported_parameter", error.path("code").asText());
        assertEquals(0, upstreamB.callCount());
    }

    @Test
    void rateLimitsFailOverAndTheLastRetryAfterIsReported() {
        String limited = OpenAiChunks.errorEnvelope("Rate limit reached", "requests", "rate_limit_exceeded");
        upstreamA.enqueue(Step.json(429, limited, Map.of("retry-after", "7")));
        upstreamB.enqueue(Step.json(429, limited, Map.of("retry-after", "3")));

        HttpResponse<String> response = gateway.post(CHAT, chatBody("both", false, ""));

        assertEquals(429, response.statusCode());
        assertEquals("3", response.headers().firstValue("retry-after").orElseThrow());
        assertEquals(1, upstreamA.callCount());
        assertEquals(1, upstreamB.callCount());
    }

    @Test
    void slowNonStreamingAnswerIsA504() {
        upstreamA.enqueue(Step.delayed(Duration.ofSeconds(3), Step.json(200, OpenAiChunks.completion("m-a", "x", 1, 1))));
        HttpResponse<String> response = gateway.post(CHAT, chatBody("one", false, ""));

        assertEquals(504, response.statusCode());
        assertEquals("upstream_timeout", parse(response.body()).path("error").path("code").asText());
    }

    @Test
    void unreachableUpstreamIsA502() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (TestGateway unreachable = TestGateway.start("""
                providers:
                  gone: {type: openai, base-url: "http://127.0.0.1:%d/v1", models: [m]}
                """.formatted(closedPort))) {
            HttpResponse<String> response = unreachable.post(CHAT, chatBody("m", false, ""));
            assertEquals(502, response.statusCode());
            assertEquals("upstream_unreachable", parse(response.body()).path("error").path("code").asText());
        }
    }

    @Test
    void clientDisconnectStopsTheUpstreamCall() throws IOException {
        java.util.ArrayList<Frame> frames = new java.util.ArrayList<>();
        frames.add(Frame.data(OpenAiChunks.roleChunk("m-a")));
        for (int i = 0; i < 50; i++) {
            frames.add(Frame.data(OpenAiChunks.chunk("m-a", "t" + i), Duration.ofMillis(50)));
        }
        frames.add(Frame.done());
        upstreamA.enqueue(Step.sse(frames));

        byte[] body = chatBody("one", true, "").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", gateway.uri("/").getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + CHAT + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestGateway.KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            readUntil(socket.getInputStream(), "t1");
        }
        assertTrue(upstreamA.awaitStreamAbandoned(Duration.ofSeconds(3)), "the upstream call was not stopped");
        assertTrue(awaitMetric("outcome=\"client_disconnected\""), "the outcome is recorded");
    }

    @Test
    void edgeErrorsUseTheOpenAiEnvelope() {
        HttpResponse<String> noKey = gateway.send(java.net.http.HttpRequest.newBuilder(gateway.uri(CHAT))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(chatBody("one", false, ""))).build());
        assertError(noKey, 401, "invalid_api_key", null);
        HttpResponse<String> wrongKey = gateway.send(java.net.http.HttpRequest.newBuilder(gateway.uri(CHAT))
                .header("x-api-key", "sk-wrong-key-0123456789")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(chatBody("one", false, ""))).build());
        assertError(wrongKey, 401, "invalid_api_key", null);
        assertError(gateway.post(CHAT, "{\"model\":\"one\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(5000) + "\"}]}"), 413, "request_too_large", null);
        assertError(gateway.get(CHAT), 405, "method_not_allowed", null);
        assertError(gateway.get("/v1/nothing-here"), 404, "not_found", null);
        assertError(gateway.post(CHAT, chatBody("no-such-model", false, "")), 404, "model_not_found", "model");
        assertError(gateway.post(CHAT, "{\"model\":\"one\"}"), 400, "missing_required_parameter", "messages");
        assertError(gateway.post(CHAT, "{\"model\":\"one\",\"messages\":[{\"content\":\"x\"}]}"), 400,
                "missing_required_parameter", "messages[0].role");
        assertError(gateway.post(CHAT, "{\"model\":\"one\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"n\":\"two\"}"), 400, "invalid_type", "n");
        assertError(gateway.post(CHAT, "{\"model\": one"), 400, null, null);
        assertEquals(0, upstreamA.callCount(), "no bad request reached an upstream");
    }

    @Test
    void modelsAreListedInOpenAiFormat() {
        JsonNode list = parse(gateway.get("/v1/models").body());
        assertEquals("list", list.path("object").asText());
        List<String> ids = new java.util.ArrayList<>();
        list.path("data").forEach(model -> ids.add(model.path("id").asText()));
        // logical models by name, then providers by id (Helidon's config tree does not keep file order)
        assertEquals(List.of("both", "one", "a/m-a", "b/m-b"), ids);
        assertEquals("model", parse(gateway.get("/v1/models/one").body()).path("object").asText());
        assertEquals("a/m-a", parse(gateway.get("/v1/models/a/m-a").body()).path("id").asText());
        assertEquals(200, gateway.get("/models").statusCode());
        assertError(gateway.get("/v1/models/unknown"), 404, "model_not_found", "model");
    }

    @Test
    void healthAndMetricsAreOpenAndReportRequests() {
        upstreamA.enqueue(Step.json(200, OpenAiChunks.completion("m-a", "Hello", 5, 2)));
        assertEquals(200, gateway.post(CHAT, chatBody("one", false, "")).statusCode());

        HttpResponse<String> health = gateway.send(java.net.http.HttpRequest.newBuilder(gateway.uri("/health")).build());
        assertEquals(200, health.statusCode());
        assertEquals("UP", parse(health.body()).path("status").asText());
        assertEquals(200, gateway.send(java.net.http.HttpRequest.newBuilder(gateway.uri("/health/ready")).build())
                .statusCode());
        String metrics = gateway.send(java.net.http.HttpRequest.newBuilder(gateway.uri("/metrics")).build()).body();
        assertTrue(metrics.contains("higress_requests_total{model=\"one\",outcome=\"success\",provider=\"a\","
                + "route=\"chat.completions\""), metrics);
        assertTrue(metrics.contains("higress_upstream_attempts_total"));
        assertTrue(metrics.contains("higress_tokens_total"));
    }

    private boolean awaitMetric(String fragment) {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < deadline) {
            String metrics = gateway.send(java.net.http.HttpRequest.newBuilder(gateway.uri("/metrics")).build()).body();
            if (metrics.lines().anyMatch(line -> line.startsWith("higress_requests_total") && line.contains(fragment))) {
                return true;
            }
            sleep(50);
        }
        return false;
    }

    private static void readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        byte[] buffer = new byte[1024];
        while (!seen.toString().contains(marker)) {
            int read = in.read(buffer);
            if (read < 0) {
                throw new IOException("stream ended before '" + marker + "': " + seen);
            }
            seen.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String code, String param) {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = parse(response.body()).path("error");
        assertTrue(error.path("message").isTextual() && !error.path("message").asText().isEmpty(), response.body());
        assertTrue(error.path("type").isTextual(), response.body());
        assertTrue(error.has("param") && error.has("code"), response.body());
        if (code != null) {
            assertEquals(code, error.path("code").asText(), response.body());
        }
        if (param != null) {
            assertEquals(param, error.path("param").asText(), response.body());
        }
    }

    static String chatBody(String model, boolean stream, String extra) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]" + extra + "}";
    }

    private static String content(String chunk) {
        return parse(chunk).path("choices").path(0).path("delta").path("content").asText();
    }

    static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
