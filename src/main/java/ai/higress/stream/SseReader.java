package ai.higress.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads server-sent events from a byte stream as the WHATWG rules describe: lines end in LF, CRLF or CR (a CRLF split
 * across two reads is still one line end), lines starting with ':' are comments, {@code data} lines accumulate,
 * a blank line dispatches the event, and an event with no data is skipped. At end of stream a data block that was
 * never terminated by a blank line is still dispatched, because several vendors omit the final blank line; a line cut
 * off mid-way by the end of stream is dropped. One byte order mark at the very start of the stream is ignored.
 */
public final class SseReader {
    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private boolean skipLineFeed;
    private boolean endOfStream;
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean firstLine = true;

    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String eventName = "";
    private String lastId = "";

    public SseReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next event, or empty at the end of the stream. */
    public Optional<SseEvent> next() throws IOException {
        while (true) {
            Optional<String> text = readLine();
            if (text.isEmpty()) {
                return dispatch();
            }
            String current = text.get();
            if (current.isEmpty()) {
                Optional<SseEvent> event = dispatch();
                if (event.isPresent()) {
                    return event;
                }
                continue;
            }
            processField(current);
        }
    }

    private void processField(String current) {
        if (current.charAt(0) == ':') {
            return;
        }
        int colon = current.indexOf(':');
        String field = colon < 0 ? current : current.substring(0, colon);
        String value = colon < 0 ? "" : current.substring(colon + 1);
        if (!value.isEmpty() && value.charAt(0) == ' ') {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> eventName = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastId = value;
                }
            }
            default -> {
                // "retry" and unknown fields carry nothing a relay needs
            }
        }
    }

    private Optional<SseEvent> dispatch() {
        if (!hasData) {
            eventName = "";
            return Optional.empty();
        }
        SseEvent event = new SseEvent(eventName, data.toString(), lastId);
        data.setLength(0);
        hasData = false;
        eventName = "";
        return Optional.of(event);
    }

    /** One line without its terminator, or empty at end of stream (an unterminated last line is dropped). */
    private Optional<String> readLine() throws IOException {
        lineLength = 0;
        while (true) {
            if (position == limit && !fill()) {
                return Optional.empty();
            }
            byte b = buffer[position++];
            if (skipLineFeed) {
                skipLineFeed = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n') {
                return Optional.of(lineText());
            }
            if (b == '\r') {
                skipLineFeed = true;
                return Optional.of(lineText());
            }
            append(b);
        }
    }

    private boolean fill() throws IOException {
        if (endOfStream) {
            return false;
        }
        int read = in.read(buffer, 0, buffer.length);
        if (read < 0) {
            endOfStream = true;
            return false;
        }
        position = 0;
        limit = read;
        return true;
    }

    private void append(byte b) throws SseFramingException {
        if (lineLength == maxLineBytes) {
            throw new SseFramingException("event stream line longer than " + maxLineBytes + " bytes");
        }
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
        }
        line[lineLength++] = b;
    }

    private String lineText() {
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        if (firstLine) {
            firstLine = false;
            if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
                return text.substring(1);
            }
        }
        return text;
    }
}
