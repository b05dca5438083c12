package ai.higress.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Frames events for the client and flushes each one, so tokens reach the client as they are produced. */
public final class SseWriter {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;

    public SseWriter(OutputStream out) {
        this.out = out;
    }

    public void write(SseEvent event) throws IOException {
        if (!event.event().isEmpty()) {
            out.write(EVENT);
            out.write(event.event().getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        if (!event.id().isEmpty()) {
            out.write(ID);
            out.write(event.id().getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        int start = 0;
        String data = event.data();
        while (true) {
            int newline = data.indexOf('\n', start);
            out.write(DATA);
            out.write(data.substring(start, newline < 0 ? data.length() : newline).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            if (newline < 0) {
                break;
            }
            start = newline + 1;
        }
        out.write('\n');
        out.flush();
    }
}
