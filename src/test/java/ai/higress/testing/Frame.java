package ai.higress.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * One unit of a {@link Step#sse(java.util.List) streaming step}: after waiting {@code delayBefore}, {@code raw} is
 * written as-is (UTF-8) as one HTTP chunk and flushed, so tests control every byte (CRLF line endings, comments,
 * events split across frames...). An empty {@code raw} writes nothing (a pure stall). A frame with
 * {@code truncates = true} closes the connection at that point without the terminating chunk.
 *
 * @param delayBefore how long to wait before this frame (the wait ends early if the client disconnects)
 * @param raw         text written verbatim as one chunk; empty for none
 * @param truncates   if true, close the connection here (after the delay) instead of writing anything
 */
public record Frame(Duration delayBefore, String raw, boolean truncates) {

    public Frame {
        Objects.requireNonNull(delayBefore, "delayBefore");
        Objects.requireNonNull(raw, "raw");
        if (delayBefore.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delayBefore);
        }
        if (truncates && !raw.isEmpty()) {
            throw new IllegalArgumentException("a truncate frame writes nothing");
        }
    }

    /** A frame that writes {@code raw} after {@code delayBefore}. */
    public Frame(Duration delayBefore, String raw) {
        this(delayBefore, raw, false);
    }

    /** {@code "data: <json>\n\n"}, written immediately. */
    public static Frame data(String json) {
        return data(json, Duration.ZERO);
    }

    /** {@code "data: <json>\n\n"}, written after {@code delayBefore}. */
    public static Frame data(String json, Duration delayBefore) {
        return new Frame(delayBefore, "data: " + json + "\n\n");
    }

    /** {@code "data: [DONE]\n\n"}. */
    public static Frame done() {
        return new Frame(Duration.ZERO, "data: [DONE]\n\n");
    }

    /** Arbitrary text written verbatim, immediately. */
    public static Frame raw(String text) {
        return new Frame(Duration.ZERO, text);
    }

    /** Waits {@code d} and writes nothing: a stall mid-stream. */
    public static Frame stall(Duration d) {
        return new Frame(d, "");
    }

    /** Closes the connection right here, without the terminating chunk: a stream that breaks off. */
    public static Frame truncate() {
        return new Frame(Duration.ZERO, "", true);
    }
}
