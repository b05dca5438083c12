package ai.higress.mock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A JDK HTTP client for mock upstreams started by one test, which it stops afterwards. */
final class MockHttp implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PREFIX = "Hello from the AI-Higress demo provider. You said: ";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<MockUpstream> started = new ArrayList<>();

    MockUpstream start(MockUpstreamConfig config) {
        MockUpstream upstream = MockUpstream.start(config);
        started.add(upstream);
        return upstream;
    }

    /** The mock's answer text to {@code userText} (see {@link Answer#text}). */
    static String reply(String userText) {
        return PREFIX + "\"" + userText + "\"";
    }

    /** Completion tokens of {@link #reply}: one per word. */
    static int tokens(String userText) {
        return reply(userText).split(" ").length;
    }

    HttpResponse<String> post(MockUpstream upstream, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(upstream, path)).timeout(WAIT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    HttpResponse<String> get(MockUpstream upstream, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(upstream, path)).timeout(WAIT).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code path} from the server root, for example {@code /v1beta/models}. */
    static URI uri(MockUpstream upstream, String path) {
        return URI.create("http://127.0.0.1:" + upstream.port() + path);
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        started.forEach(MockUpstream::close);
    }
}
