package ai.higress.testing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ScriptedUpstream} does with one incoming request. Build steps with the static factories; the nested
 * records are the (sealed) implementations.
 */
public sealed interface Step {

    /** A complete response with a {@code Content-Length} body. */
    static Step json(int status, String body) {
        return json(status, body, Map.of());
    }

    /**
     * A complete {@code application/json} response. {@code headers} are added to the response; a header with the
     * same name as a default ({@code Content-Type}, {@code Content-Length}, {@code Connection}) replaces it, so a
     * test can even send a lying {@code Content-Length}. {@code Connection: close} closes the connection after the
     * response.
     */
    static Step json(int status, String body, Map<String, String> headers) {
        return new Respond(status, "application/json", body, headers);
    }

    /** A complete {@code text/html} response, e.g. an nginx 502 page. */
    static Step html(int status, String html) {
        return new Respond(status, "text/html", html, Map.of());
    }

    /** Waits {@code delay} before sending anything, then performs {@code then}; ends early if the client leaves. */
    static Step delayed(Duration delay, Step then) {
        return new Delayed(delay, then);
    }

    /**
     * A 200 {@code text/event-stream} response with chunked transfer encoding; each frame is one chunk, written and
     * flushed after its delay; ends with the terminating chunk unless a {@link Frame#truncate()} frame cuts it off.
     */
    static Step sse(List<Frame> frames) {
        return new Sse(frames);
    }

    /** Reads the request, then closes the socket abruptly (SO_LINGER 0, so the client gets a TCP RST). */
    static Step reset() {
        return new Reset();
    }

    /** Sends the status line and headers ({@code text/event-stream}, chunked), then closes without a body. */
    static Step closeAfterHeaders(int status) {
        return closeAfterHeaders(status, "text/event-stream");
    }

    /** Like {@link #closeAfterHeaders(int)} with the given {@code Content-Type}. */
    static Step closeAfterHeaders(int status, String contentType) {
        return new CloseAfterHeaders(status, contentType);
    }

    /** A complete response with a {@code Content-Length} body. */
    record Respond(int status, String contentType, String body, Map<String, String> headers) implements Step {
        public Respond {
            checkStatus(status);
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
            headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }
    }

    /** Waits, then performs the next step. */
    record Delayed(Duration delay, Step then) implements Step {
        public Delayed {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(then, "then");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("negative delay: " + delay);
            }
        }
    }

    /** A chunked {@code text/event-stream} response made of frames. */
    record Sse(List<Frame> frames) implements Step {
        public Sse {
            frames = List.copyOf(frames);
        }
    }

    /** Closes the connection with a TCP RST before any response byte. */
    record Reset() implements Step {
    }

    /** Status line and headers, then the connection is closed. */
    record CloseAfterHeaders(int status, String contentType) implements Step {
        public CloseAfterHeaders {
            checkStatus(status);
            Objects.requireNonNull(contentType, "contentType");
        }
    }

    private static void checkStatus(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("bad status: " + status);
        }
    }
}
