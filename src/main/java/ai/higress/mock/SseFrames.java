package ai.higress.mock;

import java.nio.charset.StandardCharsets;

/** Server-sent event framing as each vendor writes it. */
final class SseFrames {

    private SseFrames() {
    }

    /** {@code data: <payload>} and a blank line (OpenAI). */
    static byte[] data(byte[] payload) {
        return frame("", payload, "\n\n");
    }

    /** {@code event: <name>}, {@code data: <payload>} and a blank line (Anthropic). */
    static byte[] named(String event, byte[] payload) {
        return frame("event: " + event + "\n", payload, "\n\n");
    }

    /** {@code data: <payload>} ended by CRLF CRLF, as Google frames its streams. */
    static byte[] dataCrlf(byte[] payload) {
        return frame("", payload, "\r\n\r\n");
    }

    private static byte[] frame(String before, byte[] payload, String after) {
        byte[] head = (before + "data: ").getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(StandardCharsets.US_ASCII);
        byte[] event = new byte[head.length + payload.length + tail.length];
        System.arraycopy(head, 0, event, 0, head.length);
        System.arraycopy(payload, 0, event, head.length, payload.length);
        System.arraycopy(tail, 0, event, head.length + payload.length, tail.length);
        return event;
    }
}
