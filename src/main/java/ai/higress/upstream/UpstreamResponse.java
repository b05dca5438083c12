package ai.higress.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.webclient.api.HttpClientResponse;

/**
 * An upstream answer whose headers have arrived; the body is read by the caller. Closing it releases the connection
 * (which is reused only when the body was read to its end).
 */
public final class UpstreamResponse implements AutoCloseable {
    private final HttpClientResponse response;
    private final Map<String, String> headers;
    private final AtomicBoolean closed = new AtomicBoolean();

    UpstreamResponse(HttpClientResponse response, Map<String, String> headers) {
        this.response = response;
        this.headers = headers;
    }

    public int status() {
        return response.status().code();
    }

    /** Response headers, names in lower case, first value of each. */
    public Map<String, String> headers() {
        return headers;
    }

    public String contentType() {
        return headers.getOrDefault("content-type", "");
    }

    public InputStream body() {
        return response.inputStream();
    }

    /**
     * Reads the whole body if it fits in {@code maxBytes}.
     *
     * @return the body, or a body of exactly {@code maxBytes + 1} bytes when it was larger (the caller decides)
     */
    public byte[] readBody(int maxBytes) throws IOException {
        return body().readNBytes(maxBytes + 1);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            response.close();
        }
    }
}
