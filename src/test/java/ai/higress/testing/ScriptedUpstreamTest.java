package ai.higress.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScriptedUpstreamTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ScriptedUpstream upstream;
    private HttpClient client;

    @BeforeEach
    void setUp() {
        upstream = ScriptedUpstream.start();
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(WAIT)
                .build();
    }

    @AfterEach
    void tearDown() {
        upstream.close();
        client.close();
    }

    // ------------------------------------------------------------------ complete responses

    @Test
    void jsonStepSendsStatusBodyAndHeadersAndRecordsTheRequest() throws Exception {
        String envelope = OpenAiChunks.errorEnvelope("Rate limit reached", "requests", "rate_limit_exceeded");
        upstream.enqueue(Step.json(429, envelope, Map.of("Retry-After", "1", "x-request-id", "req-1")));

        HttpResponse<String> response = client.send(
                post("/chat/completions?api-version=1", "{\"model\":\"gpt-4o\",\"stream\":false}")
                        .header("Authorization", "Bearer sk-test")
                        .header("X-Custom", "a")
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(429, response.statusCode());
        assertEquals(envelope, response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        assertEquals(String.valueOf(envelope.getBytes(StandardCharsets.UTF_8).length),
                response.headers().firstValue("content-length").orElseThrow());
        assertEquals("1", response.headers().firstValue("retry-after").orElseThrow());
        assertEquals("req-1", response.headers().firstValue("x-request-id").orElseThrow());

        assertEquals(1, upstream.callCount());
        RecordedRequest request = upstream.lastRequest();
        assertEquals("POST", request.method());
        assertEquals("/v1/chat/completions?api-version=1", request.path());
        assertEquals("Bearer sk-test", request.header("AUTHORIZATION").orElseThrow());
        assertEquals(List.of("a"), request.headers().get("x-custom"));
        assertEquals("application/json", request.header("content-type").orElseThrow());
        assertEquals("gpt-4o", request.json().get("model").asText());
        assertEquals("{\"model\":\"gpt-4o\",\"stream\":false}", request.bodyText());
        assertEquals(List.of(request), upstream.requests());
    }

    @Test
    void htmlStepSendsAnHtmlPage() throws Exception {
        String page = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
                + "</center><hr><center>nginx</center></body></html>";
        upstream.enqueue(Step.html(502, page));

        HttpResponse<String> response = client.send(post("/chat/completions", "{}").build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(502, response.statusCode());
        assertEquals("text/html", response.headers().firstValue("content-type").orElseThrow());
        assertEquals(page, response.body());
    }

    @Test
    void stepsAreConsumedInOrderThenTheFallbackIsServed() throws Exception {
        upstream.enqueue(Step.json(200, "{\"n\":1}")).enqueue(Step.json(201, "{\"n\":2}"));

        assertEquals("{\"n\":1}", send(get("/models")).body());
        HttpResponse<String> second = send(get("/models"));
        assertEquals(201, second.statusCode());
        assertEquals("{\"n\":2}", second.body());

        HttpResponse<String> fallback = send(get("/models"));
        assertEquals(500, fallback.statusCode());
        JsonNode error = MAPPER.readTree(fallback.body()).get("error");
        assertEquals("server_error", error.get("type").asText());
        assertTrue(error.get("code").isNull());

        upstream.otherwise(Step.json(503, "{\"busy\":true}"));
        assertEquals(503, send(get("/models")).statusCode());
        assertEquals(503, send(get("/models")).statusCode());
        assertEquals(5, upstream.callCount());
        assertEquals(0, upstream.pendingSteps());
    }

    @Test
    void delayedStepWaitsBeforeTheFirstByte() throws Exception {
        upstream.enqueue(Step.delayed(Duration.ofMillis(60), Step.json(200, "{\"late\":true}")));

        long start = System.nanoTime();
        HttpResponse<String> response = send(get("/models"));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(200, response.statusCode());
        assertEquals("{\"late\":true}", response.body());
        assertTrue(elapsedMillis >= 60, "took " + elapsedMillis + " ms");
    }

    @Test
    void delayedStepEndsWhenTheClientTimesOut() throws Exception {
        upstream.enqueue(Step.delayed(Duration.ofSeconds(30), Step.json(200, "{}")));

        HttpRequest request = HttpRequest.newBuilder(uri("/models")).timeout(Duration.ofMillis(50)).GET().build();
        assertThrows(java.net.http.HttpTimeoutException.class,
                () -> client.send(request, HttpResponse.BodyHandlers.ofString()));

        // the server is not stuck: the next request is answered by the next step
        upstream.enqueue(Step.json(200, "{\"next\":true}"));
        assertEquals("{\"next\":true}", send(get("/models")).body());
        assertEquals(2, upstream.callCount());
    }

    // ------------------------------------------------------------------ streaming

    @Test
    void sseFramesAreSeparateChunksInOrderWithATerminatingChunk() throws Exception {
        List<Frame> frames = List.of(
                Frame.data("{\"a\":1}"),
                Frame.raw(": keep-alive comment\r\n\r\n"),
                Frame.raw("data: {\"split\":"),
                new Frame(Duration.ofMillis(20), "true}\n\n"),
                Frame.stall(Duration.ofMillis(20)),
                Frame.data("{\"c\":\"\u00e9\"}", Duration.ofMillis(10)),
                Frame.done());
        upstream.enqueue(Step.sse(frames));

        try (RawClient raw = new RawClient(upstream.port())) {
            raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 13\r\n\r\n{\"stream\":1}\n");
            RawClient.Head head = raw.readHead();
            assertEquals("HTTP/1.1 200 OK", head.statusLine());
            assertEquals("text/event-stream", head.header("content-type"));
            assertEquals("chunked", head.header("transfer-encoding"));

            List<String> chunks = new ArrayList<>();
            byte[] chunk;
            while ((chunk = raw.readChunk()) != null) {
                chunks.add(new String(chunk, StandardCharsets.UTF_8));
            }
            List<String> expected = frames.stream().map(Frame::raw).filter(s -> !s.isEmpty()).toList();
            assertEquals(expected, chunks);
        }
        assertEquals("{\"stream\":1}\n", upstream.lastRequest().bodyText());
    }

    @Test
    void sseStreamIsReadableLineByLineWithHttpClient() throws Exception {
        upstream.enqueue(Step.sse(OpenAiChunks.streamOf("gpt-4o", List.of("Hel", "lo \"world\"\n"), true)));

        HttpResponse<java.util.stream.Stream<String>> response = client.send(
                post("/chat/completions", "{\"stream\":true}").build(), HttpResponse.BodyHandlers.ofLines());
        List<String> data = response.body().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();

        assertEquals(6, data.size(), data.toString());
        assertEquals("assistant", MAPPER.readTree(data.get(0)).at("/choices/0/delta/role").asText());
        assertEquals("Hel", MAPPER.readTree(data.get(1)).at("/choices/0/delta/content").asText());
        assertEquals("lo \"world\"\n", MAPPER.readTree(data.get(2)).at("/choices/0/delta/content").asText());
        assertEquals("stop", MAPPER.readTree(data.get(3)).at("/choices/0/finish_reason").asText());
        assertEquals(12, MAPPER.readTree(data.get(4)).at("/usage/total_tokens").asInt());
        assertEquals("[DONE]", data.get(5));
    }

    @Test
    void stallDelaysTheNextFrame() throws Exception {
        upstream.enqueue(Step.sse(List.of(Frame.data("{\"first\":1}"), Frame.stall(Duration.ofMillis(60)),
                Frame.data("{\"second\":2}"), Frame.done())));

        try (RawClient raw = new RawClient(upstream.port())) {
            long start = System.nanoTime();
            raw.send("GET /v1/x HTTP/1.1\r\nHost: x\r\n\r\n");
            raw.readHead();
            assertEquals("data: {\"first\":1}\n\n", new String(raw.readChunk(), StandardCharsets.UTF_8));
            assertEquals("data: {\"second\":2}\n\n", new String(raw.readChunk(), StandardCharsets.UTF_8));
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            // a lower bound only: the second frame cannot arrive before the stall is over
            assertTrue(elapsedMillis >= 60, "second frame after " + elapsedMillis + " ms");
        }
    }

    @Test
    void truncateBreaksTheStreamOffWithoutTerminatingChunk() throws Exception {
        upstream.enqueue(Step.sse(List.of(Frame.data("{\"a\":1}"), Frame.data("{\"b\":2}"), Frame.truncate(),
                Frame.done())));

        try (RawClient raw = new RawClient(upstream.port())) {
            raw.send("GET /v1/x HTTP/1.1\r\nHost: x\r\n\r\n");
            raw.readHead();
            assertEquals("data: {\"a\":1}\n\n", new String(raw.readChunk(), StandardCharsets.UTF_8));
            assertEquals("data: {\"b\":2}\n\n", new String(raw.readChunk(), StandardCharsets.UTF_8));
            assertThrows(EOFException.class, raw::readChunk);
        }
    }

    @Test
    void truncateGivesHttpClientAnIoExceptionAndNoDone() throws Exception {
        upstream.enqueue(Step.sse(List.of(Frame.data("{\"a\":1}"), Frame.stall(Duration.ofMillis(10)),
                Frame.truncate(), Frame.done())));

        HttpResponse<InputStream> response = client.send(get("/x").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (InputStream body = response.body()) {
            assertThrows(IOException.class, () -> {
                byte[] buf = new byte[256];
                int n;
                while ((n = body.read(buf)) >= 0) {
                    received.write(buf, 0, n);
                }
            });
        }
        String text = received.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("[DONE]"), text);
    }

    @Test
    void awaitStreamAbandonedBecomesTrueWhenTheClientLeavesMidStream() throws Exception {
        upstream.enqueue(Step.sse(List.of(Frame.data("{\"a\":1}"), Frame.stall(Duration.ofSeconds(30)),
                Frame.done())));
        assertFalse(upstream.awaitStreamAbandoned(Duration.ZERO));

        try (RawClient raw = new RawClient(upstream.port())) {
            raw.send("GET /v1/x HTTP/1.1\r\nHost: x\r\n\r\n");
            raw.readHead();
            assertNotNull(raw.readChunk());
        }
        assertTrue(upstream.awaitStreamAbandoned(WAIT));
    }

    @Test
    void awaitStreamAbandonedWhenHttpClientClosesTheBody() throws Exception {
        upstream.enqueue(Step.sse(List.of(Frame.data("{\"a\":1}"), Frame.stall(Duration.ofSeconds(30)),
                Frame.done())));

        HttpResponse<InputStream> response = client.send(get("/x").build(), HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = response.body();
        assertTrue(body.read() >= 0);
        body.close();

        assertTrue(upstream.awaitStreamAbandoned(WAIT));
    }

    @Test
    void closeEndsAStalledStreamPromptly() throws Exception {
        upstream.enqueue(Step.sse(List.of(Frame.data("{\"a\":1}"), Frame.stall(Duration.ofSeconds(60)))));

        try (RawClient raw = new RawClient(upstream.port())) {
            raw.send("GET /v1/x HTTP/1.1\r\nHost: x\r\n\r\n");
            raw.readHead();
            assertNotNull(raw.readChunk());
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> upstream.close());
            assertThrows(IOException.class, raw::readChunk);
        }
        assertFalse(upstream.awaitStreamAbandoned(Duration.ZERO), "close() is not a client disconnect");
    }

    @Test
    void closeEndsADelayedStepPromptly() throws Exception {
        upstream.enqueue(Step.delayed(Duration.ofSeconds(60), Step.json(200, "{}")));
        CompletableFuture<HttpResponse<String>> pending =
                client.sendAsync(get("/x").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(upstream.awaitCallCount(1, WAIT));

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> upstream.close());
        assertThrows(java.util.concurrent.ExecutionException.class, () -> pending.get(10, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void delayedStepEndsWhenTheClientDisconnects() throws Exception {
        upstream.enqueue(Step.delayed(Duration.ofSeconds(30), Step.json(200, "{}")));
        try (RawClient raw = new RawClient(upstream.port())) {
            raw.send("GET /v1/x HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(upstream.awaitCallCount(1, WAIT));
            assertEquals(1, upstream.openConnections());
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (upstream.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, upstream.openConnections(), "the delayed step noticed the disconnect and ended");
        assertFalse(upstream.awaitStreamAbandoned(Duration.ZERO), "not a streaming step");
    }

    // ------------------------------------------------------------------ connection faults

    @Test
    void resetGivesTheClientAnIoExceptionAfterTheRequestWasRecorded() {
        upstream.enqueue(Step.reset());

        assertThrows(IOException.class,
                () -> client.send(post("/chat/completions", "{\"model\":\"m\"}").build(),
                        HttpResponse.BodyHandlers.ofString()));
        assertEquals(1, upstream.callCount());
        assertEquals("m", upstream.lastRequest().json().get("model").asText());
    }

    @Test
    void resetSendsNoResponseByte() throws Exception {
        upstream.enqueue(Step.reset());
        try (RawClient raw = new RawClient(upstream.port())) {
            raw.send("POST /v1/x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
            // RST: either "connection reset" or, if the RST raced ahead, an immediate EOF with no bytes
            try {
                assertEquals(-1, raw.in.read());
            } catch (IOException expected) {
                // connection reset
            }
        }
    }

    @Test
    void closeAfterHeadersSendsTheHeadThenEof() throws Exception {
        upstream.enqueue(Step.closeAfterHeaders(200));
        try (RawClient raw = new RawClient(upstream.port())) {
            raw.send("GET /v1/x HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Head head = raw.readHead();
            assertEquals("HTTP/1.1 200 OK", head.statusLine());
            assertEquals("text/event-stream", head.header("content-type"));
            assertEquals("chunked", head.header("transfer-encoding"));
            assertEquals(-1, raw.in.read());
        }

        upstream.enqueue(Step.closeAfterHeaders(200, "application/json"));
        HttpResponse<InputStream> response;
        try {
            response = client.send(get("/x").build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException brokenBody) {
            // when the close arrives together with the head, the JDK client reports the broken body from send()
            assertTrue(brokenBody.getMessage().contains("chunked"), brokenBody.toString());
            return;
        }
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        try (InputStream body = response.body()) {
            assertThrows(IOException.class, body::readAllBytes);
        }
    }

    // ------------------------------------------------------------------ protocol and bookkeeping

    @Test
    void keepAliveServesTwoSequentialRequestsOnOneConnection() throws Exception {
        upstream.enqueue(Step.json(200, "{\"n\":1}"))
                .enqueue(Step.sse(List.of(Frame.data("{\"n\":2}"), Frame.done())))
                .enqueue(Step.json(200, "{\"n\":3}"));

        try (RawClient raw = new RawClient(upstream.port())) {
            raw.send("POST /v1/a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfirst");
            RawClient.Head first = raw.readHead();
            assertEquals("{\"n\":1}", new String(raw.readFixed(Integer.parseInt(first.header("content-length"))),
                    StandardCharsets.UTF_8));

            raw.send("POST /v1/b HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nsecond");
            raw.readHead();
            assertEquals("data: {\"n\":2}\n\n", new String(raw.readChunk(), StandardCharsets.UTF_8));
            assertEquals("data: [DONE]\n\n", new String(raw.readChunk(), StandardCharsets.UTF_8));
            assertNull(raw.readChunk());

            raw.send("GET /v1/c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawClient.Head third = raw.readHead();
            assertEquals("close", third.header("connection"));
            assertEquals("{\"n\":3}", new String(raw.readFixed(7), StandardCharsets.UTF_8));
            assertEquals(-1, raw.in.read(), "Connection: close ends the connection");
        }
        assertEquals(1, upstream.connectionCount());
        assertEquals(List.of("/v1/a", "/v1/b", "/v1/c"), upstream.requests().stream().map(RecordedRequest::path).toList());
        assertEquals(List.of("first", "second", ""),
                upstream.requests().stream().map(RecordedRequest::bodyText).toList());
    }

    @Test
    void chunkedRequestBodiesAreDecoded() throws Exception {
        byte[] payload = "{\"model\":\"gpt-4o\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        upstream.enqueue(Step.json(200, "{}")).enqueue(Step.json(200, "{}"));

        HttpRequest request = HttpRequest.newBuilder(uri("/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(payload)))
                .build();
        assertEquals(200, client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
        RecordedRequest recorded = upstream.lastRequest();
        assertEquals("chunked", recorded.header("transfer-encoding").orElseThrow());
        assertArrayEquals(payload, recorded.body());

        try (RawClient raw = new RawClient(upstream.port())) {
            raw.send("POST /v1/raw HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4;ext=1\r\nabcd\r\n3\r\nefg\r\n0\r\nX-Trailer: t\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK", raw.readHead().statusLine());
        }
        assertEquals("abcdefg", upstream.lastRequest().bodyText());
    }

    @Test
    void expectContinueIsHonoured() throws Exception {
        upstream.enqueue(Step.json(200, "{\"ok\":true}"));
        HttpRequest request = post("/x", "{\"a\":1}").expectContinue(true).build();

        assertEquals("{\"ok\":true}", client.send(request, HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("{\"a\":1}", upstream.lastRequest().bodyText());
    }

    @Test
    void concurrentRequestsEachGetOneStep() throws Exception {
        int n = 8;
        for (int i = 0; i < n; i++) {
            upstream.enqueue(Step.delayed(Duration.ofMillis(10), Step.json(200, "{\"n\":" + i + "}")));
        }
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(client.sendAsync(post("/x", "{\"i\":" + i + "}").build(), HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> bodies = new HashSet<>();
        for (var future : futures) {
            bodies.add(future.get(10, java.util.concurrent.TimeUnit.SECONDS).body());
        }
        assertTrue(upstream.awaitCallCount(n, WAIT));
        assertEquals(n, upstream.callCount());
        assertEquals(n, bodies.size(), bodies.toString());
        assertEquals(java.util.stream.IntStream.range(0, n).boxed().collect(Collectors.toSet()),
                upstream.requests().stream().map(r -> r.json().get("i").asInt()).collect(Collectors.toSet()));
    }

    @Test
    void awaitCallCountAndLastRequestWithoutCalls() {
        assertFalse(upstream.awaitCallCount(1, Duration.ofMillis(20)));
        assertTrue(upstream.awaitCallCount(0, Duration.ZERO));
        assertThrows(AssertionError.class, upstream::lastRequest);
        assertEquals(0, upstream.callCount());
        assertTrue(upstream.baseUri().toString().matches("http://127\\.0\\.0\\.1:\\d+/v1"));
        assertEquals(upstream.port(), upstream.baseUri().getPort());
    }

    @Test
    void malformedRequestGets400() throws Exception {
        try (RawClient raw = new RawClient(upstream.port())) {
            raw.send("NONSENSE\r\n\r\n");
            assertEquals("HTTP/1.1 400 Bad Request", raw.readHead().statusLine());
        }
        assertEquals(0, upstream.callCount());
    }

    // ------------------------------------------------------------------ OpenAiChunks

    @Test
    void openAiPayloadsAreWellFormedAndEscaped() throws Exception {
        JsonNode completion = MAPPER.readTree(OpenAiChunks.completion("gpt-4o", "say \"hi\"\n\\", 7, 3));
        assertEquals("chat.completion", completion.get("object").asText());
        assertEquals("gpt-4o", completion.get("model").asText());
        assertEquals("assistant", completion.at("/choices/0/message/role").asText());
        assertEquals("say \"hi\"\n\\", completion.at("/choices/0/message/content").asText());
        assertEquals("stop", completion.at("/choices/0/finish_reason").asText());
        assertEquals(10, completion.at("/usage/total_tokens").asInt());

        JsonNode usage = MAPPER.readTree(OpenAiChunks.usageChunk("m", 4, 5));
        assertEquals("chat.completion.chunk", usage.get("object").asText());
        assertEquals(0, usage.get("choices").size());
        assertEquals(9, usage.at("/usage/total_tokens").asInt());

        JsonNode finish = MAPPER.readTree(OpenAiChunks.finishChunk("m", "length"));
        assertEquals("length", finish.at("/choices/0/finish_reason").asText());
        assertTrue(finish.at("/choices/0/delta").isEmpty());

        JsonNode error = MAPPER.readTree(OpenAiChunks.errorEnvelope("bad \"key\"", "invalid_request_error",
                "invalid_api_key"));
        assertEquals("bad \"key\"", error.at("/error/message").asText());
        assertEquals("invalid_api_key", error.at("/error/code").asText());
        assertTrue(error.at("/error/param").isNull());

        List<Frame> noUsage = OpenAiChunks.streamOf("m", List.of("a"), false);
        assertEquals(4, noUsage.size());
        assertEquals(Frame.done(), noUsage.getLast());
        assertTrue(noUsage.stream().allMatch(f -> f.raw().startsWith("data: ") && f.raw().endsWith("\n\n")));
    }

    // ------------------------------------------------------------------ helpers

    private URI uri(String pathUnderV1) {
        return URI.create(upstream.baseUri() + pathUnderV1);
    }

    private HttpRequest.Builder get(String pathUnderV1) {
        return HttpRequest.newBuilder(uri(pathUnderV1)).timeout(WAIT).GET();
    }

    private HttpRequest.Builder post(String pathUnderV1, String json) {
        return HttpRequest.newBuilder(uri(pathUnderV1)).timeout(WAIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A raw HTTP/1.1 client over a socket with a bounded read timeout, for byte-level assertions. */
    private static final class RawClient implements AutoCloseable {

        record Head(String statusLine, Map<String, String> headers) {
            String header(String name) {
                return headers.get(name.toLowerCase(Locale.ROOT));
            }
        }

        private final Socket socket;
        final InputStream in;
        private final OutputStream out;

        RawClient(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) WAIT.toMillis());
            in = new java.io.BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new EOFException("EOF after " + line.size() + " bytes of a line");
                }
                line.write(b);
            }
            String s = line.toString(StandardCharsets.UTF_8);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        Head readHead() throws IOException {
            String status = readLine();
            Map<String, String> headers = new LinkedHashMap<>();
            String line;
            while (!(line = readLine()).isEmpty()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            return new Head(status, headers);
        }

        byte[] readFixed(int n) throws IOException {
            byte[] bytes = in.readNBytes(n);
            if (bytes.length < n) {
                throw new EOFException();
            }
            return bytes;
        }

        /** The next chunk's data, or null for the terminating chunk (its trailer section is consumed). */
        byte[] readChunk() throws IOException {
            int size = Integer.parseInt(readLine().strip(), 16);
            if (size == 0) {
                assertEquals("", readLine());
                return null;
            }
            byte[] data = readFixed(size);
            assertEquals("", readLine());
            return data;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
