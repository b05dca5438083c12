package ai.higress.provider.gemini;

import static ai.higress.provider.gemini.GeminiFixtures.adapter;
import static ai.higress.provider.gemini.GeminiFixtures.bytes;
import static ai.higress.provider.gemini.GeminiFixtures.emitted;
import static ai.higress.provider.gemini.GeminiFixtures.events;
import static ai.higress.provider.gemini.GeminiFixtures.expectedChunks;
import static ai.higress.provider.gemini.GeminiFixtures.request;
import static ai.higress.provider.gemini.GeminiFixtures.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.StreamTranslator;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Usage;
import ai.higress.stream.SseEvent;
import ai.higress.testing.OpenAiSchema;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Gemini streams (fixtures/gemini/stream-*.gemini.sse) read by the gateway's SSE reader from reads of awkward sizes,
 * translated into OpenAI chunks that match the expected ones and OpenAI's published chunk schema.
 */
class GeminiStreamTranslatorTest {
    private static final ChatRequest WITH_USAGE = request("{\"model\":\"m\",\"stream\":true,\"stream_options\":"
            + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    private static final ChatRequest WITHOUT_USAGE = request("{\"model\":\"m\",\"stream\":true,\"messages\":"
            + "[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    /** 1: every byte its own read, CRLF pairs split; 7 and 64: splits inside JSON and UTF-8; 8192: whole events. */
    private static final int[] READ_SIZES = {1, 7, 64, 8192};

    private final GeminiAdapter adapter = adapter();

    @ParameterizedTest
    @CsvSource({
            "stream-text, 3, stop, 8, 9, 17, 0",
            "stream-function-call, 2, tool_calls, 40, 34, 74, 12",
            "stream-safety, 2, content_filter, 14, 3, 17, 0"})
    void streamTranslatesToItsChunks(String name, int upstreamEvents, String finishReason, long prompt,
                                     long completion, long total, long reasoning) {
        for (int size : READ_SIZES) {
            List<SseEvent> upstream = events(bytes(name + ".gemini.sse"), size);
            assertEquals(upstreamEvents, upstream.size(), "read size " + size);
            StreamTranslator translator = adapter.newStreamTranslator(WITH_USAGE, target("gemini-2.0-flash"));

            List<JsonNode> chunks = emitted(translateAll(translator, upstream));

            assertEquals(expectedChunks(name + ".openai.jsonl"), chunks, "read size " + size);
            chunks.stream().filter(JsonNode::isObject).forEach(OpenAiSchema::assertChatChunk);
            assertTrue(translator.finished(), "the finish reason ends the stream: Gemini sends nothing after it");
            assertEquals(Optional.of(new Usage(prompt, completion, total, 0, reasoning)), translator.usage());
            assertEquals(finishReason, chunks.get(chunks.size() - 3).path("choices").path(0)
                    .path("finish_reason").asText());
        }
    }

    @Test
    void finishedIsTrueAsSoonAsTheFinishReasonArrives() {
        List<SseEvent> upstream = events(bytes("stream-text.gemini.sse"), 8192);
        StreamTranslator translator = adapter.newStreamTranslator(WITH_USAGE, target("gemini-2.0-flash"));
        translator.onEvent(upstream.get(0));
        translator.onEvent(upstream.get(1));
        assertFalse(translator.finished(), "no finish reason yet: an end of stream now would be a broken stream");
        List<SseEvent> last = translator.onEvent(upstream.get(2));
        assertTrue(translator.finished());
        assertTrue(last.getLast().isDone());
        assertEquals(List.of(), translator.onEvent(upstream.get(2)), "nothing after the end");
    }

    @Test
    void theUsageChunkIsLeftOutWhenTheClientDidNotAskButUsageIsStillRecorded() {
        StreamTranslator translator = adapter.newStreamTranslator(WITHOUT_USAGE, target("gemini-2.0-flash"));
        List<JsonNode> chunks = emitted(translateAll(translator, events(bytes("stream-text.gemini.sse"), 64)));

        List<JsonNode> expected = new ArrayList<>(expectedChunks("stream-text.openai.jsonl"));
        expected.remove(expected.size() - 2);
        assertEquals(expected, chunks);
        chunks.stream().filter(JsonNode::isObject).forEach(OpenAiSchema::assertChatChunk);
        assertEquals(Optional.of(new Usage(8, 9, 17, 0, 0)), translator.usage());
    }

    @Test
    void anErrorMidStreamIsAnUpstreamException() {
        List<SseEvent> upstream = events(bytes("stream-error.gemini.sse"), 7);
        StreamTranslator translator = adapter.newStreamTranslator(WITH_USAGE, target("gemini-2.0-flash"));

        List<JsonNode> first = emitted(translator.onEvent(upstream.get(0)));
        assertEquals(2, first.size(), "role chunk, then the first text");
        first.forEach(OpenAiSchema::assertChatChunk);
        assertEquals("Once upon", first.get(1).path("choices").path(0).path("delta").path("content").asText());

        UpstreamException failure = assertThrows(UpstreamException.class, () -> translator.onEvent(upstream.get(1)));
        assertEquals(ErrorKind.OVERLOADED, failure.kind());
        assertEquals(503, failure.upstreamStatus());
        assertTrue(failure.getMessage().contains("overloaded"), failure.getMessage());
        assertFalse(translator.finished());
        JsonNode errorEvent = GeminiFixtures.tree(translator.errorEvent(failure).data());
        OpenAiSchema.assertError(errorEvent);
        assertEquals("upstream_overloaded", errorEvent.path("error").path("code").asText(),
                "the client gets an OpenAI error event, and no [DONE] after it");
    }

    @Test
    void aPromptBlockedAtTheFirstEventFailsBeforeAnythingIsEmitted() {
        StreamTranslator translator = adapter.newStreamTranslator(WITH_USAGE, target("gemini-2.0-flash"));
        UpstreamException failure = assertThrows(UpstreamException.class, () -> translator.onEvent(SseEvent.data(
                "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"promptTokenCount\":3}}")));
        assertEquals(ErrorKind.CONTENT_FILTERED, failure.kind());
        assertEquals(400, failure.status());
    }

    @Test
    void anEventThatIsNotJsonIsAProtocolError() {
        StreamTranslator translator = adapter.newStreamTranslator(WITH_USAGE, target("gemini-2.0-flash"));
        UpstreamException failure = assertThrows(UpstreamException.class,
                () -> translator.onEvent(SseEvent.data("[DONE]")));
        assertEquals(ErrorKind.PROTOCOL, failure.kind());
    }

    private static List<SseEvent> translateAll(StreamTranslator translator, List<SseEvent> upstream) {
        List<SseEvent> out = new ArrayList<>();
        for (SseEvent event : upstream) {
            out.addAll(translator.onEvent(event));
        }
        return out;
    }
}
