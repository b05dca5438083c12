package ai.higress.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SseWriterTest {

    @Test
    void singleLineData() throws IOException {
        assertEquals("data: {\"a\":1}\n\n", frame(SseEvent.data("{\"a\":1}")));
    }

    @Test
    void emptyData() throws IOException {
        assertEquals("data: \n\n", frame(SseEvent.data("")));
    }

    @Test
    void multiLineDataIsOneDataLinePerLine() throws IOException {
        assertEquals("data: first\ndata: second\ndata: \ndata: fourth\n\n",
                frame(SseEvent.data("first\nsecond\n\nfourth")));
        assertEquals("data: trailing\ndata: \n\n", frame(SseEvent.data("trailing\n")));
    }

    @Test
    void eventNameAndIdPrecedeTheData() throws IOException {
        assertEquals("event: error\ndata: {}\n\n", frame(SseEvent.named("error", "{}")));
        assertEquals("event: delta\nid: 17\ndata: x\n\n", frame(new SseEvent("delta", "x", "17")));
        assertEquals("id: 18\ndata: x\n\n", frame(new SseEvent("", "x", "18")));
    }

    @Test
    void nonAsciiIsWrittenAsUtf8() throws IOException {
        CountingOutputStream out = new CountingOutputStream();
        new SseWriter(out).write(SseEvent.data("h\u00e9 \ud83c\udf89"));
        assertEquals("data: h\u00e9 \ud83c\udf89\n\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(6 + 1 + 2 + 1 + 4 + 2, out.size());
    }

    @Test
    void flushesOncePerEventAfterTheWholeEvent() throws IOException {
        CountingOutputStream out = new CountingOutputStream();
        SseWriter writer = new SseWriter(out);
        writer.write(SseEvent.data("one"));
        assertEquals(1, out.flushes);
        writer.write(SseEvent.named("multi", "a\nb\nc"));
        assertEquals(2, out.flushes);
        writer.write(SseEvent.data("[DONE]"));
        assertEquals(3, out.flushes);
        // at every flush the bytes written so far ended with a complete event
        assertEquals(List.of("data: one\n\n", "data: one\n\nevent: multi\ndata: a\ndata: b\ndata: c\n\n",
                "data: one\n\nevent: multi\ndata: a\ndata: b\ndata: c\n\ndata: [DONE]\n\n"), out.atFlush);
    }

    @Test
    void whatTheWriterFramesTheReaderReadsBack() throws IOException {
        List<SseEvent> events = List.of(SseEvent.data("{\"choices\":[]}"), new SseEvent("error", "x\n\ny", "9"),
                SseEvent.data(""), new SseEvent("", "\u65e5\u672c", "10"), SseEvent.data("[DONE]"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SseWriter writer = new SseWriter(out);
        for (SseEvent event : events) {
            writer.write(event);
        }
        SseReader reader = new SseReader(new ByteArrayInputStream(out.toByteArray()), 1024);
        List<SseEvent> read = new ArrayList<>();
        for (Optional<SseEvent> next = reader.next(); next.isPresent(); next = reader.next()) {
            read.add(next.get());
        }
        // the reader carries the last id forward, as the SSE rules say
        assertEquals(List.of(events.get(0), events.get(1), new SseEvent("", "", "9"), events.get(3),
                new SseEvent("", "[DONE]", "10")), read);
    }

    private static String frame(SseEvent event) throws IOException {
        CountingOutputStream out = new CountingOutputStream();
        new SseWriter(out).write(event);
        assertEquals(1, out.flushes);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Records how often flush is called and what had been written at each flush. */
    private static final class CountingOutputStream extends ByteArrayOutputStream {
        private int flushes;
        private final List<String> atFlush = new ArrayList<>();

        @Override
        public void flush() {
            flushes++;
            atFlush.add(toString(StandardCharsets.UTF_8));
        }
    }
}
