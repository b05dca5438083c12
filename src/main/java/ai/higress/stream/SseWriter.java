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
        // a CR, LF or CRLF inside the data would end the line early: each becomes a data line of its own
        for (String line : event.data().split("\r\n|\r|\n", -1)) {
            out.write(DATA);
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        out.write('\n');
        out.flush();
    }
}
