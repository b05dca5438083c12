package ai.higress.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SseReaderTest {
    private static final int MAX_LINE = 64 * 1024;

    /** A stream exercising every rule at once; used for the split-read equivalence tests. */
    private static final String MIXED = ": hello, this is a comment\r\n"
            + "event: message\n"
            + "id: 41\r"
            + "data: {\"a\":\"h\u00e9llo \u65e5\u672c\u8a9e \ud83c\udf89\"}\r\n"
            + "\r\n"
            + "data:no-space\n"
            + "data:  two spaces\r"
            + "data\n"
            + "\r"
            + "event: ping\n"
            + "\n"
            + ": keep-alive\n"
            + "\n"
            + "retry: 1000\n"
            + "id: 42\n"
            + "data: last \u00fc\r\n"
            + "\r\n"
            + "data: [DONE]\n"
            + "\n";

    private static final List<SseEvent> MIXED_EVENTS = List.of(
            new SseEvent("message", "{\"a\":\"h\u00e9llo \u65e5\u672c\u8a9e \ud83c\udf89\"}", "41"),
            new SseEvent("", "no-space\n two spaces\n", "41"),
            new SseEvent("", "last \u00fc", "42"),
            new SseEvent("", "[DONE]", "42"));

    @Test
    void lineFeedLineEnds() throws IOException {
        assertEquals(List.of(SseEvent.data("a"), SseEvent.data("b")), readAll("data: a\n\ndata: b\n\n"));
    }

    @Test
    void crLfLineEnds() throws IOException {
        assertEquals(List.of(SseEvent.data("a"), SseEvent.data("b")), readAll("data: a\r\n\r\ndata: b\r\n\r\n"));
    }

    @Test
    void loneCrLineEnds() throws IOException {
        assertEquals(List.of(SseEvent.data("a"), SseEvent.data("b")), readAll("data: a\r\rdata: b\r\r"));
    }

    @Test
    void crFollowedByCrLfIsTwoLineEnds() throws IOException {
        // "\r" ends the data line, "\r\n" is the blank line: one event, not two blank lines plus a stray "\n"
        assertEquals(List.of(SseEvent.data("a"), SseEvent.data("b")), readAll("data: a\r\r\ndata: b\n\r\n"));
    }

    @Test
    void crLfSplitAcrossTwoReadsIsOneLineEnd() throws IOException {
        // If the "\n" at the start of the second read were taken as a blank line, "a" would be dispatched on its own.
        List<SseEvent> events = readAll(chunks("data: a\r", "\ndata: b\r", "\n\r", "\n"), MAX_LINE);
        assertEquals(List.of(SseEvent.data("a\nb")), events);
    }

    @Test
    void everyTwoWaySplitGivesTheSameEvents() throws IOException {
        byte[] bytes = MIXED.getBytes(StandardCharsets.UTF_8);
        assertEquals(MIXED_EVENTS, readAll(new ByteArrayInputStream(bytes), MAX_LINE));
        for (int split = 0; split <= bytes.length; split++) {
            List<SseEvent> events = readAll(chunks(Arrays.copyOfRange(bytes, 0, split),
                    Arrays.copyOfRange(bytes, split, bytes.length)), MAX_LINE);
            assertEquals(MIXED_EVENTS, events, "split at byte " + split);
        }
    }

    @Test
    void oneByteReadsGiveTheSameEvents() throws IOException {
        assertEquals(MIXED_EVENTS, readAll(new TrickleInputStream(MIXED.getBytes(StandardCharsets.UTF_8), null),
                MAX_LINE));
    }

    @Test
    void randomlySplitReadsGiveTheSameEvents() throws IOException {
        byte[] bytes = MIXED.getBytes(StandardCharsets.UTF_8);
        for (long seed = 1; seed <= 200; seed++) {
            List<SseEvent> events = readAll(new TrickleInputStream(bytes, new Random(seed)), MAX_LINE);
            assertEquals(MIXED_EVENTS, events, "seed " + seed);
        }
    }

    @Test
    void utf8CharactersSplitAcrossReadsDecode() throws IOException {
        String text = "\u00e9\u00fc \u65e5\u672c\u8a9e \ud83c\udf89\ud83d\ude80 \u0416";
        byte[] bytes = ("data: " + text + "\n\n").getBytes(StandardCharsets.UTF_8);
        // the emoji alone is four bytes, so one-byte reads cut every multi-byte sequence
        assertEquals(List.of(SseEvent.data(text)), readAll(new TrickleInputStream(bytes, null), MAX_LINE));
        for (int split = 6; split < bytes.length; split++) {
            assertEquals(List.of(SseEvent.data(text)), readAll(chunks(Arrays.copyOfRange(bytes, 0, split),
                    Arrays.copyOfRange(bytes, split, bytes.length)), MAX_LINE), "split at byte " + split);
        }
    }

    @Test
    void commentsAreSkipped() throws IOException {
        assertEquals(List.of(SseEvent.data("x"), SseEvent.data("y\nz")),
                readAll(": keep-alive\n\n:\n\ndata: x\n\ndata: y\n: interleaved comment\ndata: z\n\n"));
    }

    @Test
    void multiLineDataIsJoinedWithLineFeeds() throws IOException {
        assertEquals(List.of(SseEvent.data("first\nsecond\n\nfourth")),
                readAll("data: first\ndata: second\ndata:\ndata: fourth\n\n"));
    }

    @Test
    void onlyOneLeadingSpaceIsRemovedFromTheValue() throws IOException {
        assertEquals(List.of(SseEvent.data("x"), SseEvent.data("x"), SseEvent.data(" x"), SseEvent.data("x ")),
                readAll("data:x\n\ndata: x\n\ndata:  x\n\ndata: x \n\n"));
    }

    @Test
    void aFieldNameWithoutColonHasAnEmptyValue() throws IOException {
        assertEquals(List.of(SseEvent.data("")), readAll("data\n\n"));
    }

    @Test
    void eventAndIdFields() throws IOException {
        List<SseEvent> events = readAll("event: error\nid: 7\ndata: {}\n\ndata: after\n\nid\ndata: cleared\n\n");
        assertEquals(List.of(new SseEvent("error", "{}", "7"),
                // the event name applies to one event only; the last event id persists
                new SseEvent("", "after", "7"),
                // an "id" field with no value resets the last event id
                new SseEvent("", "cleared", "")), events);
    }

    @Test
    void anIdContainingNulIsIgnored() throws IOException {
        assertEquals(List.of(new SseEvent("", "x", "1")), readAll("id: 1\nid: a\u0000b\ndata: x\n\n"));
    }

    @Test
    void retryAndUnknownFieldsAreIgnored() throws IOException {
        assertEquals(List.of(SseEvent.data("x")), readAll("retry: 3000\nfoo: bar\ndata: x\nDATA: y\n\n"));
    }

    @Test
    void anEventWithoutDataIsSkippedAndItsNameDoesNotLeak() throws IOException {
        assertEquals(List.of(SseEvent.data("x")), readAll("event: ping\n\n\n\nevent: other\nid: \n\ndata: x\n\n"));
    }

    @Test
    void doneIsRecognised() throws IOException {
        List<SseEvent> events = readAll("data: {\"x\":1}\n\ndata: [DONE]\n\n");
        assertEquals(2, events.size());
        assertFalse(events.get(0).isDone());
        assertTrue(events.get(1).isDone());
        assertTrue(SseEvent.named("done", "[DONE]").isDone());
        assertFalse(SseEvent.data("[DONE] ").isDone());
        assertFalse(SseEvent.data("[done]").isDone());
        assertFalse(SseEvent.data("[DONE]\n").isDone());
    }

    @Test
    void anUnterminatedDataBlockAtEndOfStreamIsDispatched() throws IOException {
        assertEquals(List.of(SseEvent.data("a"), SseEvent.data("b\nc")), readAll("data: a\n\ndata: b\ndata: c\n"));
        assertEquals(List.of(SseEvent.data("b")), readAll("data: b\r"));
    }

    @Test
    void aLineCutOffAtEndOfStreamIsDropped() throws IOException {
        assertEquals(List.of(SseEvent.data("a")), readAll("data: a\ndata: cut of"));
        assertEquals(List.of(), readAll("data: cut of"));
        assertEquals(List.of(SseEvent.data("x")), readAll("data: x\n\ndata: [DO"));
    }

    @Test
    void oneLeadingByteOrderMarkIsIgnored() throws IOException {
        // WHATWG: "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."
        assertEquals(List.of(SseEvent.data("x")), readAll("\ufeffdata: x\n\n"));
        // only at the very start of the stream, and only one
        assertEquals(List.of(SseEvent.data("y")), readAll("\ufeff\ufeffdata: x\n\ndata: y\n\n"));
        assertEquals(List.of(SseEvent.data("x")), readAll("data: x\n\n\ufeffdata: y\n\n"));
    }

    @Test
    void emptyStreamHasNoEvents() throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(new byte[0]), MAX_LINE);
        assertEquals(Optional.empty(), reader.next());
        assertEquals(Optional.empty(), reader.next());
    }

    @Test
    void aLineOfExactlyMaxLineBytesIsAccepted() throws IOException {
        String value = "x".repeat(1000 - "data: ".length());
        assertEquals(List.of(SseEvent.data(value)), readAll(bytes("data: " + value + "\r\n\r\n"), 1000));
    }

    @Test
    void aLineLongerThanMaxLineBytesThrows() {
        String value = "x".repeat(1001 - "data: ".length());
        SseFramingException failure = assertThrows(SseFramingException.class,
                () -> readAll(bytes("data: " + value + "\n\n"), 1000));
        assertEquals("event stream line longer than 1000 bytes", failure.getMessage());
    }

    @Test
    void aLongLineIsRejectedBeforeItsEnd() {
        // an endless line without a terminator must fail at the limit, not buffer the whole stream
        InputStream endless = new InputStream() {
            private long served;

            @Override
            public int read() {
                served++;
                if (served > 10_000) {
                    throw new AssertionError("read past the limit");
                }
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = Math.min(len, 100);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) read();
                }
                return n;
            }
        };
        assertThrows(SseFramingException.class, () -> new SseReader(endless, 300).next());
    }

    @Test
    void theRecordedOpenAiStreamIsReadWhole() throws IOException {
        byte[] recorded;
        try (InputStream in = SseReaderTest.class.getResourceAsStream("/fixtures/openai/chat-streaming.response.sse")) {
            recorded = in.readAllBytes();
        }
        List<SseEvent> whole = readAll(new ByteArrayInputStream(recorded), MAX_LINE);
        assertEquals(51, whole.size());
        assertTrue(whole.getLast().isDone());
        assertTrue(whole.getFirst().data().startsWith("{\"id\":\"chatcmpl-C4HqHBe4xca0k0EzsCnf1t6V3YFXp\""));
        assertEquals(whole, readAll(new TrickleInputStream(recorded, new Random(7)), MAX_LINE));
    }

    private static List<SseEvent> readAll(String text) throws IOException {
        List<SseEvent> whole = readAll(bytes(text), MAX_LINE);
        // every test input is also read one byte at a time; the result must not depend on read boundaries
        assertEquals(whole, readAll(new TrickleInputStream(text.getBytes(StandardCharsets.UTF_8), null), MAX_LINE));
        return whole;
    }

    private static List<SseEvent> readAll(InputStream in, int maxLine) throws IOException {
        SseReader reader = new SseReader(in, maxLine);
        List<SseEvent> events = new ArrayList<>();
        for (Optional<SseEvent> next = reader.next(); next.isPresent(); next = reader.next()) {
            events.add(next.get());
        }
        return events;
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static InputStream chunks(String... parts) {
        byte[][] raw = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            raw[i] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        return chunks(raw);
    }

    /** Serves each chunk in its own read (an empty chunk is skipped, as a read never returns 0 bytes). */
    private static InputStream chunks(byte[]... parts) {
        return new InputStream() {
            private int part;
            private int offset;

            @Override
            public int read() {
                throw new UnsupportedOperationException("the reader reads into its buffer");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                while (part < parts.length && offset == parts[part].length) {
                    part++;
                    offset = 0;
                }
                if (part == parts.length) {
                    return -1;
                }
                int n = Math.min(len, parts[part].length - offset);
                System.arraycopy(parts[part], offset, b, off, n);
                offset += n;
                return n;
            }
        };
    }

    /** Returns one byte per read, or with a random source, between 1 and 16 bytes per read. */
    private static final class TrickleInputStream extends InputStream {
        private final byte[] data;
        private final Random random;
        private int position;

        TrickleInputStream(byte[] data, Random random) {
            this.data = data;
            this.random = random;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position == data.length) {
                return -1;
            }
            int wanted = random == null ? 1 : 1 + random.nextInt(16);
            int n = Math.min(Math.min(len, wanted), data.length - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }
    }
}
