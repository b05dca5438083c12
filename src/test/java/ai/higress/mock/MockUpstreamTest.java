package ai.higress.mock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import ai.higress.testing.OpenAiSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MockUpstreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PREFIX = "Hello from the AI-Higress demo provider. You said: ";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<MockUpstream> started = new ArrayList<>();
    private MockUpstream mock;

    @BeforeEach
    void startMock() {
        mock = start(MockUpstreamConfig.defaults().withoutDelays());
    }

    @AfterEach
    void stopMocks() {
        started.forEach(MockUpstream::close);
    }

    @Test
    void jsonReplyHasTheOpenAiShapeAndUsage() throws Exception {
        String body = """
                {"model":"demo","messages":[
                  {"role":"system","content":"Be brief."},
                  {"role":"user","content":[{"type":"text","text":"What is"},{"type":"image_url","image_url":{}},
                                           {"type":"text","text":"a gateway?"}]}]}""";
        HttpResponse<String> response = post(mock, body);

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        JsonNode reply = JSON.readTree(response.body());
        OpenAiSchema.assertChatCompletion(reply);
        String expected = PREFIX + "\"What is a gateway?\"";
        assertEquals("chatcmpl-mock-1", reply.path("id").asText());
        assertEquals("chat.completion", reply.path("object").asText());
        assertTrue(reply.path("created").asLong() > 1_700_000_000L);
        assertEquals("demo", reply.path("model").asText());
        assertEquals("fp_mock", reply.path("system_fingerprint").asText());
        JsonNode choice = reply.path("choices").get(0);
        assertEquals(1, reply.path("choices").size());
        assertEquals(0, choice.path("index").asInt());
        assertEquals("assistant", choice.path("message").path("role").asText());
        assertEquals(expected, choice.path("message").path("content").asText());
        assertTrue(choice.path("logprobs").isNull());
        assertEquals("stop", choice.path("finish_reason").asText());
        int promptChars = "Be brief.".length() + "What is".length() + "a gateway?".length();
        int completionTokens = expected.split(" ").length;
        assertUsage(reply.path("usage"), (promptChars + 3) / 4, completionTokens);
        assertEquals(1, mock.requestCount());
    }

    @Test
    void streamSendsRoleChunkThenDeltasThenFinishThenDone() throws Exception {
        HttpResponse<String> response = post(mock, chat("demo", "tell me a story", ",\"stream\":true"));

        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("content-type").orElseThrow());
        assertEquals("no-cache", response.headers().firstValue("cache-control").orElseThrow());
        assertTrue(response.body().endsWith("data: [DONE]\n\n"), response.body());
        List<String> events = events(response.body());
        String expected = PREFIX + "\"tell me a story\"";
        int tokens = expected.split(" ").length;
        assertEquals(1 + tokens + 1 + 1, events.size(), "role, one per token, finish, [DONE]");
        assertChunks(events);

        JsonNode role = JSON.readTree(events.getFirst());
        assertEquals("chat.completion.chunk", role.path("object").asText());
        assertEquals("chatcmpl-mock-1", role.path("id").asText());
        assertEquals("{\"role\":\"assistant\",\"content\":\"\"}", role.path("choices").get(0).path("delta").toString());
        StringBuilder text = new StringBuilder();
        for (String event : events.subList(1, 1 + tokens)) {
            JsonNode chunk = JSON.readTree(event);
            assertFalse(chunk.has("usage"), "usage only when stream_options.include_usage is set");
            assertTrue(chunk.path("choices").get(0).path("finish_reason").isNull());
            text.append(chunk.path("choices").get(0).path("delta").path("content").asText());
        }
        assertEquals(expected, text.toString());
        JsonNode finish = JSON.readTree(events.get(tokens + 1)).path("choices").get(0);
        assertEquals("{}", finish.path("delta").toString());
        assertEquals("stop", finish.path("finish_reason").asText());
        assertEquals("[DONE]", events.getLast());
    }

    @Test
    void streamEndsWithAUsageChunkOnlyWhenAsked() throws Exception {
        String extra = ",\"stream\":true,\"stream_options\":{\"include_usage\":true}";
        HttpResponse<String> response = post(mock, chat("demo", "count me", extra));

        List<String> events = events(response.body());
        assertEquals("[DONE]", events.getLast());
        List<String> chunks = events.subList(0, events.size() - 1);
        assertChunks(events);
        for (String event : chunks.subList(0, chunks.size() - 1)) {
            JsonNode chunk = JSON.readTree(event);
            assertTrue(chunk.has("usage") && chunk.path("usage").isNull(), event);
        }
        JsonNode usageChunk = JSON.readTree(chunks.getLast());
        assertEquals(0, usageChunk.path("choices").size());
        assertTrue(usageChunk.path("choices").isArray());
        int tokens = (PREFIX + "\"count me\"").split(" ").length;
        assertUsage(usageChunk.path("usage"), 2, tokens);
    }

    @Test
    void maxTokensTruncatesWithFinishReasonLength() throws Exception {
        JsonNode reply = JSON.readTree(post(mock, chat("demo", "hi", ",\"max_tokens\":3")).body());
        JsonNode choice = reply.path("choices").get(0);
        assertEquals("Hello from the", choice.path("message").path("content").asText());
        assertEquals("length", choice.path("finish_reason").asText());
        assertEquals(3, reply.path("usage").path("completion_tokens").asInt());

        List<String> events = events(post(mock, chat("demo", "hi", ",\"stream\":true,\"max_completion_tokens\":2"))
                .body());
        assertEquals(1 + 2 + 1 + 1, events.size());
        OpenAiSchema.assertChatCompletion(reply);
        assertChunks(events);
        assertEquals(" from", JSON.readTree(events.get(2)).path("choices").get(0).path("delta").path("content")
                .asText());
        assertEquals("length", JSON.readTree(events.get(3)).path("choices").get(0).path("finish_reason").asText());
    }

    @Test
    void nGivesIdenticalChoicesAndIsCappedAtEight() throws Exception {
        JsonNode reply = JSON.readTree(post(mock, chat("demo", "hi", ",\"n\":3")).body());
        JsonNode choices = reply.path("choices");
        OpenAiSchema.assertChatCompletion(reply);
        assertEquals(3, choices.size());
        for (int index = 0; index < 3; index++) {
            assertEquals(index, choices.get(index).path("index").asInt());
            assertEquals(PREFIX + "\"hi\"", choices.get(index).path("message").path("content").asText());
        }
        int tokens = (PREFIX + "\"hi\"").split(" ").length;
        assertEquals(3 * tokens, reply.path("usage").path("completion_tokens").asInt());

        assertError(post(mock, chat("demo", "hi", ",\"n\":9")), 400, "invalid_request_error", "n", null);
    }

    @Test
    void forcedToolCallStreamsItsArgumentsAsIncrementalDeltas() throws Exception {
        String userText = "find \\\"quoted\\\" things";
        String extra = ",\"stream\":true,\"tool_choice\":\"required\",\"tools\":[" + tool("lookup") + ","
                + tool("other") + "]";
        List<String> events = events(post(mock, chat("demo", userText, extra)).body());
        assertChunks(events);

        JsonNode first = JSON.readTree(events.getFirst()).path("choices").get(0).path("delta");
        assertEquals("assistant", first.path("role").asText());
        assertTrue(first.path("content").isNull());
        JsonNode call = first.path("tool_calls").get(0);
        assertEquals(0, call.path("index").asInt());
        assertEquals("call_mock_1", call.path("id").asText());
        assertEquals("function", call.path("type").asText());
        assertEquals("lookup", call.path("function").path("name").asText());
        List<String> argumentEvents = events.subList(1, events.size() - 2);
        assertTrue(argumentEvents.size() > 3, "arguments arrive in several deltas: " + argumentEvents.size());
        StringBuilder arguments = new StringBuilder();
        for (String event : argumentEvents) {
            JsonNode delta = JSON.readTree(event).path("choices").get(0).path("delta").path("tool_calls").get(0);
            assertEquals(0, delta.path("index").asInt());
            assertFalse(delta.has("id") || delta.path("function").has("name"), "id and name only come first");
            arguments.append(delta.path("function").path("arguments").asText());
        }
        assertEquals("{\"input\":\"find \\\"quoted\\\" things\"}", arguments.toString());
        assertEquals("find \"quoted\" things", JSON.readTree(arguments.toString()).path("input").asText());
        JsonNode finish = JSON.readTree(events.get(events.size() - 2)).path("choices").get(0);
        assertEquals("tool_calls", finish.path("finish_reason").asText());
        assertEquals("[DONE]", events.getLast());
    }

    @Test
    void namedToolChoiceAnswersWithThatFunctionInJson() throws Exception {
        String extra = ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"other\"}},\"tools\":["
                + tool("lookup") + "," + tool("other") + "]";
        JsonNode reply = JSON.readTree(post(mock, chat("demo", "weather?", extra)).body());
        OpenAiSchema.assertChatCompletion(reply);
        JsonNode choice = reply.path("choices").get(0);

        assertEquals("tool_calls", choice.path("finish_reason").asText());
        JsonNode message = choice.path("message");
        assertTrue(message.path("content").isNull());
        JsonNode call = message.path("tool_calls").get(0);
        assertEquals("call_mock_1", call.path("id").asText());
        assertEquals("other", call.path("function").path("name").asText());
        assertEquals("{\"input\":\"weather?\"}", call.path("function").path("arguments").asText());

        String undeclared = ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"nope\"}},\"tools\":["
                + tool("lookup") + "]";
        assertError(post(mock, chat("demo", "x", undeclared)), 400, "invalid_request_error", "tool_choice", null);
    }

    @Test
    void badRequestsGetTheOpenAiErrorEnvelope() throws Exception {
        assertError(post(mock, "{not json"), 400, "invalid_request_error", null, null);
        assertError(post(mock, "{\"model\":\"demo\"}"), 400, "invalid_request_error", "messages", null);
        assertError(post(mock, "{\"model\":\"demo\",\"messages\":[]}"), 400, "invalid_request_error", "messages",
                null);
        assertError(post(mock, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400,
                "invalid_request_error", "model", null);
        assertError(post(mock, chat("gpt-9", "hi", "")), 404, "invalid_request_error", "model", "model_not_found");
    }

    @Test
    void apiKeyIsRequiredWhenConfigured() throws Exception {
        MockUpstream guarded = start(MockUpstreamConfig.defaults().withoutDelays().withApiKey("sk-mock"));
        String body = chat("demo", "hi", "");

        assertError(post(guarded, body), 401, "invalid_request_error", null, "invalid_api_key");
        assertError(post(guarded, body, "Authorization", "Bearer sk-wrong"), 401, "invalid_request_error", null,
                "invalid_api_key");
        assertEquals(200, post(guarded, body, "Authorization", "Bearer sk-mock").statusCode());
        assertEquals(401, get(guarded, "/models").statusCode());
        assertEquals(1, guarded.requestCount(), "rejected callers never reach the chat handler");
    }

    @Test
    void modelsAreListedAndLookedUp() throws Exception {
        MockUpstream two = start(MockUpstreamConfig.defaults().withoutDelays().withModels(List.of("demo", "org/fast")));

        HttpResponse<String> list = get(two, "/models");
        assertEquals(200, list.statusCode());
        JsonNode body = JSON.readTree(list.body());
        assertEquals("list", body.path("object").asText());
        assertEquals(2, body.path("data").size());
        JsonNode first = body.path("data").get(0);
        assertEquals("demo", first.path("id").asText());
        assertEquals("model", first.path("object").asText());
        assertEquals("ai-higress-demo", first.path("owned_by").asText());
        assertTrue(first.path("created").isIntegralNumber());
        assertEquals("org/fast", body.path("data").get(1).path("id").asText());

        assertEquals("org/fast", JSON.readTree(get(two, "/models/org/fast").body()).path("id").asText());
        assertError(get(two, "/models/slow"), 404, "invalid_request_error", "model", "model_not_found");
    }

    @Test
    void unknownPathsAndWrongMethodsGetEnvelopes() throws Exception {
        assertError(get(mock, "/audio/speech"), 404, "invalid_request_error", null, null);
        HttpResponse<String> wrongMethod = get(mock, "/chat/completions");
        assertError(wrongMethod, 405, "invalid_request_error", null, null);
        assertEquals("POST", wrongMethod.headers().firstValue("allow").orElseThrow());
        assertEquals(0, mock.requestCount());
    }

    @Test
    void failureRateOneFailsEveryChatRequest() throws Exception {
        MockUpstream failing = start(MockUpstreamConfig.defaults().withoutDelays().withFailureRate(1));
        for (int i = 0; i < 3; i++) {
            assertError(post(failing, chat("demo", "hi", "")), 500, "server_error", null, null);
        }
        assertEquals(3, failing.requestCount());
        assertEquals(200, get(failing, "/models").statusCode(), "only chat requests fail on purpose");
    }

    @Test
    void partialFailureRateRepeatsTheSameSequenceForTheSameSeed() throws Exception {
        MockUpstreamConfig config = MockUpstreamConfig.defaults().withoutDelays().withFailureRate(0.5).withSeed(7);
        List<Integer> first = statuses(start(config), 20);
        List<Integer> second = statuses(start(config), 20);

        assertEquals(first, second);
        assertTrue(first.contains(200) && first.contains(500), first.toString());
    }

    @Test
    void streamIsPacedOneFlushedEventPerToken() throws Exception {
        SteppedSleeper sleeper = new SteppedSleeper();
        Duration interval = Duration.ofMillis(7);
        MockUpstream paced = start(MockUpstreamConfig.defaults().withoutDelays().withTokenInterval(interval), sleeper);
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        HttpResponse<InputStream> response = client.send(request(paced, "/chat/completions")
                .POST(HttpRequest.BodyPublishers.ofString(chat("demo", "pace me", ",\"stream\":true"))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Thread.ofVirtual().start(() -> collectEvents(response.body(), events));
        int tokens = (PREFIX + "\"pace me\"").split(" ").length;

        assertNotNull(events.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "role chunk");
        for (int token = 1; token < tokens; token++) {
            assertEquals(interval, sleeper.awaitServerAsleep(), "the server pauses between tokens");
            // The server is blocked before writing the next token, so token k must already be here, and alone.
            assertNotNull(events.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "token " + token + " flushed");
            assertTrue(events.isEmpty(), "nothing beyond token " + token + " may have been sent yet");
            sleeper.wakeServer();
        }
        assertTrue(events.poll(WAIT.toSeconds(), TimeUnit.SECONDS).startsWith("data: {"), "last token");
        assertTrue(events.poll(WAIT.toSeconds(), TimeUnit.SECONDS).contains("\"finish_reason\":\"stop\""));
        assertEquals("data: [DONE]", events.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(tokens - 1, sleeper.sleeps);
    }

    @Test
    void messagesAndGeminiStreamsArePacedLikeChat() throws Exception {
        String messages = "{\"model\":\"demo\",\"max_tokens\":99,\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"pace me\"}]}";
        // Anthropic: message_start, content_block_start and ping first, two lines (event, data) per event.
        assertPacedByToken("/v1/messages", messages, 6, 2, 6, "anthropic-version", "2023-06-01");
        String gemini = "{\"contents\":[{\"parts\":[{\"text\":\"pace me\"}]}]}";
        // Gemini: nothing before the first token, one data line per event, no terminal event.
        assertPacedByToken("/v1beta/models/demo:streamGenerateContent?alt=sse", gemini, 0, 1, 0);
    }

    /** Each pause of the server comes after exactly one more token's event was flushed. */
    private void assertPacedByToken(String path, String body, int openingLines, int linesPerToken,
            int closingLines, String... headers) throws Exception {
        SteppedSleeper sleeper = new SteppedSleeper();
        Duration interval = Duration.ofMillis(7);
        MockUpstream paced = start(MockUpstreamConfig.defaults().withoutDelays().withTokenInterval(interval), sleeper);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + paced.port() + path))
                .timeout(WAIT).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> collectEvents(response.body(), lines));
        int tokens = (PREFIX + "\"pace me\"").split(" ").length;

        for (int token = 1; token < tokens; token++) {
            assertEquals(interval, sleeper.awaitServerAsleep(), "the server pauses between tokens");
            int expected = (token == 1 ? openingLines : 0) + linesPerToken;
            for (int line = 0; line < expected; line++) {
                assertNotNull(lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS), path + ": token " + token);
            }
            assertTrue(lines.isEmpty(), path + ": nothing beyond token " + token + " may have been sent yet");
            sleeper.wakeServer();
        }
        for (int line = 0; line < linesPerToken + closingLines; line++) {
            assertNotNull(lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS), path + ": the last token and the end");
        }
        assertEquals(tokens - 1, sleeper.sleeps);
    }

    @Test
    void clientDisconnectStopsTheStreamQuietly() throws Exception {
        SteppedSleeper sleeper = new SteppedSleeper();
        MockUpstream paced = start(MockUpstreamConfig.defaults().withoutDelays()
                .withTokenInterval(Duration.ofMillis(1)), sleeper);
        WarningCollector warnings = WarningCollector.install();
        try {
            String body = chat("demo", "word ".repeat(40).strip(), ",\"stream\":true");
            try (Socket socket = new Socket("127.0.0.1", paced.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                        + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                assertTrue(readUntil(in, "\"content\":\"Hello\""), "first token arrives before the disconnect");
                sleeper.awaitServerAsleep();
            }
            sleeper.wakeForever();
            awaitAbortedStreams(paced, 1);
            assertEquals(List.of(), warnings.records(), "a client going away is not worth a warning");
        } finally {
            warnings.uninstall();
        }
    }

    @Test
    void configRejectsImpossibleValues() {
        MockUpstreamConfig defaults = MockUpstreamConfig.defaults();
        assertEquals(List.of("demo"), defaults.models());
        assertEquals(Duration.ofMillis(200), defaults.firstTokenDelay());
        assertThrows(IllegalArgumentException.class, () -> defaults.withTokenInterval(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> defaults.withFailureRate(1.5));
        assertThrows(IllegalArgumentException.class, () -> defaults.withFailureRate(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> defaults.withPort(65_536));
        assertThrows(IllegalArgumentException.class, () -> defaults.withModels(List.of()));
        assertFalse(defaults.withApiKey("sk-secret").toString().contains("sk-secret"), "the key is redacted");
    }

    private MockUpstream start(MockUpstreamConfig config) {
        return start(config, Thread::sleep);
    }

    private MockUpstream start(MockUpstreamConfig config, Pacer.Sleeper sleeper) {
        MockUpstream upstream = MockUpstream.start(config, sleeper);
        started.add(upstream);
        return upstream;
    }

    private List<Integer> statuses(MockUpstream upstream, int requests) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            statuses.add(post(upstream, chat("demo", "hi", "")).statusCode());
        }
        return statuses;
    }

    private static String chat(String model, String userText, String extraFields) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + userText + "\"}]"
                + extraFields + "}";
    }

    private static String tool(String name) {
        return "{\"type\":\"function\",\"function\":{\"name\":\"" + name + "\",\"parameters\":{\"type\":\"object\"}}}";
    }

    private HttpRequest.Builder request(MockUpstream upstream, String path) {
        return HttpRequest.newBuilder(URI.create(upstream.baseUri() + path)).timeout(WAIT);
    }

    private HttpResponse<String> post(MockUpstream upstream, String body, String... headers) throws Exception {
        HttpRequest.Builder request = request(upstream, "/chat/completions")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(MockUpstream upstream, String path) throws Exception {
        return client.send(request(upstream, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The data of each server-sent event, checking the framing on the way. */
    private static List<String> events(String body) {
        List<String> events = new ArrayList<>();
        for (String event : body.split("\n\n")) {
            assertTrue(event.startsWith("data: "), "every event is one data line: " + event);
            events.add(event.substring("data: ".length()));
        }
        return events;
    }

    /** Every event but the final {@code [DONE]} is a valid chunk. */
    private static void assertChunks(List<String> events) throws IOException {
        assertEquals("[DONE]", events.getLast());
        for (String event : events.subList(0, events.size() - 1)) {
            OpenAiSchema.assertChatChunk(JSON.readTree(event));
        }
    }

    private static void assertUsage(JsonNode usage, int promptTokens, int completionTokens) {
        assertEquals(promptTokens, usage.path("prompt_tokens").asInt(), usage.toString());
        assertEquals(completionTokens, usage.path("completion_tokens").asInt(), usage.toString());
        assertEquals(promptTokens + completionTokens, usage.path("total_tokens").asInt(), usage.toString());
    }

    private static void assertError(HttpResponse<String> response, int status, String type, String param,
            String code) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        OpenAiSchema.assertError(JSON.readTree(response.body()));
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertFalse(error.path("message").asText().isBlank(), response.body());
        assertEquals(type, error.path("type").asText(), response.body());
        assertTrue(error.has("param") && error.has("code"), response.body());
        assertEquals(param, error.path("param").isNull() ? null : error.path("param").asText(), response.body());
        assertEquals(code, error.path("code").isNull() ? null : error.path("code").asText(), response.body());
    }

    private static void collectEvents(InputStream body, BlockingQueue<String> events) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isEmpty()) {
                    events.add(line);
                }
            }
        } catch (IOException e) {
            events.add("failed: " + e);
        }
    }

    private static boolean readUntil(BufferedReader in, String fragment) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    private static void awaitAbortedStreams(MockUpstream upstream, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (upstream.abortedStreamCount() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, upstream.abortedStreamCount());
    }

    /** Blocks the server in each pause until the test lets it go, and tells the test when it is blocked. */
    private static final class SteppedSleeper implements Pacer.Sleeper {
        private final BlockingQueue<Duration> asleep = new LinkedBlockingQueue<>();
        private final Semaphore wakeUps = new Semaphore(0);
        private volatile int sleeps;

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            sleeps++;
            asleep.add(duration);
            wakeUps.acquire();
        }

        Duration awaitServerAsleep() throws InterruptedException {
            Duration duration = asleep.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(duration, "the server never paused");
            return duration;
        }

        void wakeServer() {
            wakeUps.release();
        }

        void wakeForever() {
            wakeUps.release(Integer.MAX_VALUE / 2);
        }
    }

    /** Collects WARNING and SEVERE log records from every logger while installed. */
    private static final class WarningCollector extends Handler {
        private final List<String> records = new java.util.concurrent.CopyOnWriteArrayList<>();

        static WarningCollector install() {
            WarningCollector collector = new WarningCollector();
            collector.setLevel(Level.WARNING);
            Logger.getLogger("").addHandler(collector);
            return collector;
        }

        void uninstall() {
            Logger.getLogger("").removeHandler(this);
        }

        List<String> records() {
            return List.copyOf(records);
        }

        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                records.add(record.getLoggerName() + ": " + record.getMessage() + " " + record.getThrown());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
