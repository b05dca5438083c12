package ai.higress.provider.anthropic;

import static ai.higress.provider.anthropic.AnthropicFixtures.CLOCK;
import static ai.higress.provider.anthropic.AnthropicFixtures.TARGET;
import static ai.higress.provider.anthropic.AnthropicFixtures.events;
import static ai.higress.provider.anthropic.AnthropicFixtures.hello;
import static ai.higress.provider.anthropic.AnthropicFixtures.tree;
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
import ai.higress.schema.WireProtocol;
import ai.higress.stream.SseEvent;
import ai.higress.testing.OpenAiSchema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Anthropic stream events as OpenAI chunks. Every fixture is read through the gateway's SSE reader whole and in 50
 * random splits (lines, JSON and multi-byte characters cut anywhere); each must give the golden chunks.
 */
class AnthropicStreamTest {
    private static final String USAGE = "\"stream\":true,\"stream_options\":{\"include_usage\":true}";
    private static final int SPLITS = 50;

    private final AnthropicAdapter adapter = new AnthropicAdapter(CLOCK);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "text      | " + USAGE,
        "tools     | " + USAGE + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}]",
        "thinking  | \"stream\":true,\"reasoning_effort\":\"low\"",
        "json-mode | \"stream\":true,\"response_format\":{\"type\":\"json_object\"}"})
    void goldenStreamsInAwkwardSplits(String name, String extra) {
        ChatRequest request = hello(extra);
        List<SseEvent> expected = events("stream-" + name + ".openai.sse", 0);
        for (long seed = 0; seed <= SPLITS; seed++) {
            StreamTranslator translator = adapter.newStreamTranslator(request, TARGET);
            List<SseEvent> chunks = translateAll(translator, events("stream-" + name + ".anthropic.sse", seed));
            assertEquals(expected, chunks, "seed " + seed);
            assertTrue(translator.finished(), "finished after message_stop");
        }
        for (SseEvent chunk : expected.subList(0, expected.size() - 1)) {
            OpenAiSchema.assertChatChunk(tree(chunk.data()));
        }
        assertTrue(expected.getLast().isDone());
    }

    @Test
    void usageIsCapturedAndItsChunkSentOnlyWhenAsked() {
        StreamTranslator asked = run(hello(USAGE), "stream-tools.anthropic.sse");
        assertEquals(Optional.of(new Usage(782, 89, 871, 380, 0, 0)), asked.usage());

        List<SseEvent> chunks = new ArrayList<>();
        StreamTranslator quiet = adapter.newStreamTranslator(hello("\"stream\":true"), TARGET);
        events("stream-text.anthropic.sse", 0).forEach(event -> chunks.addAll(quiet.onEvent(event)));
        assertTrue(chunks.stream().noneMatch(chunk -> chunk.data().contains("\"usage\"")), chunks.toString());
        chunks.stream().filter(chunk -> !chunk.isDone())
                .forEach(chunk -> OpenAiSchema.assertChatChunk(tree(chunk.data())));
        assertEquals(Optional.of(new Usage(25, 15, 40, 0, 0, 0)), quiet.usage(), "captured all the same");
        assertEquals(Optional.of(new Usage(40, 310, 350, 0, 0, 0)),
                run(hello("\"stream\":true"), "stream-thinking.anthropic.sse").usage(), "message_delta's counts win");
    }

    @Test
    void anErrorEventMidStreamThrowsAfterTheContentSoFar() {
        StreamTranslator translator = adapter.newStreamTranslator(hello("\"stream\":true"), TARGET);
        List<SseEvent> upstream = events("stream-error-mid.anthropic.sse", 7);
        List<SseEvent> chunks = new ArrayList<>();
        for (SseEvent event : upstream.subList(0, upstream.size() - 1)) {
            chunks.addAll(translator.onEvent(event));
        }
        assertEquals(1, chunks.size());
        OpenAiSchema.assertChatChunk(tree(chunks.getFirst().data()));
        assertEquals("Hel", tree(chunks.getFirst().data()).path("choices").path(0).path("delta").path("content")
                .asText());
        UpstreamException failure = assertThrows(UpstreamException.class, () -> translator.onEvent(upstream.getLast()));
        assertEquals(ErrorKind.OVERLOADED, failure.kind());
        assertEquals(503, failure.status());
        assertEquals("provider 'anthropic' failed: Overloaded", failure.getMessage());
        OpenAiSchema.assertError(tree(translator.errorEvent(failure).data()));
        assertFalse(translator.finished());
    }

    @Test
    void nothingIsEmittedBeforeContentSoAnEarlyErrorCanStillFailOver() {
        StreamTranslator translator = adapter.newStreamTranslator(hello("\"stream\":true"), TARGET);
        List<SseEvent> upstream = events("stream-error-early.anthropic.sse", 3);
        assertEquals(List.of(), translator.onEvent(upstream.get(0)), "message_start");
        assertEquals(List.of(), translator.onEvent(upstream.get(1)), "ping");
        UpstreamException failure = assertThrows(UpstreamException.class, () -> translator.onEvent(upstream.get(2)));
        assertTrue(failure.kind().retryable());
    }

    @Test
    void anEventThatIsNotJsonIsAProtocolError() {
        StreamTranslator translator = adapter.newStreamTranslator(hello("\"stream\":true"), TARGET);
        UpstreamException failure = assertThrows(UpstreamException.class,
                () -> translator.onEvent(SseEvent.named("content_block_delta", "{\"type\":")));
        assertEquals(ErrorKind.PROTOCOL, failure.kind());
    }

    @Test
    void nothingAfterMessageStop() {
        StreamTranslator translator = run(hello("\"stream\":true"), "stream-text.anthropic.sse");
        assertEquals(List.of(), translator.onEvent(SseEvent.named("ping", "{\"type\":\"ping\"}")));
        assertEquals(List.of(), translator.onEvent(SseEvent.data("not json")));
    }

    // ---- native relay to an Anthropic client

    @Test
    void anAnthropicClientGetsTheEventsAsTheyCame() {
        List<SseEvent> upstream = events("stream-tools.anthropic.sse", 0);
        for (long seed = 0; seed <= 10; seed++) {
            StreamTranslator relay = nativeRelay();
            assertEquals(WireProtocol.ANTHROPIC_MESSAGES, relay.protocol());
            List<SseEvent> relayed = translateAll(relay, events("stream-tools.anthropic.sse", seed));
            assertEquals(upstream, relayed, "seed " + seed);
            assertTrue(relay.finished());
            assertEquals(Optional.of(new Usage(782, 89, 871, 380, 0, 0)), relay.usage());
        }
        assertEquals("message_start", upstream.getFirst().event());
    }

    @Test
    void theNativeRelayHoldsMessageStartUntilContent() {
        StreamTranslator relay = nativeRelay();
        List<SseEvent> upstream = events("stream-text.anthropic.sse", 0);
        assertEquals(List.of(), relay.onEvent(upstream.get(0)));
        assertEquals(List.of(upstream.get(0), upstream.get(1)), relay.onEvent(upstream.get(1)));
        assertEquals(List.of(upstream.get(2)), relay.onEvent(upstream.get(2)), "a ping after content is relayed");

        StreamTranslator early = nativeRelay();
        List<SseEvent> failing = events("stream-error-early.anthropic.sse", 0);
        early.onEvent(failing.get(0));
        early.onEvent(failing.get(1));
        assertEquals(ErrorKind.OVERLOADED, assertThrows(UpstreamException.class,
                () -> early.onEvent(failing.get(2))).kind());
    }

    @Test
    void theNativeErrorEventIsAnthropics() {
        UpstreamException failure = AnthropicErrors.fromErrorObject(TARGET, tree(
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Slow down\"}}"));
        SseEvent event = nativeRelay().errorEvent(failure);
        assertEquals("error", event.event());
        assertEquals(tree("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":"
                + "\"provider 'anthropic' failed: Slow down\"}}"), tree(event.data()));
        assertEquals("api_error", tree(nativeRelay().errorEvent(UpstreamException.connectionLost("gone")).data())
                .path("error").path("type").asText());
    }

    private StreamTranslator nativeRelay() {
        return adapter.newStreamTranslator(AnthropicFixtures.fromAnthropicClient((ObjectNode) tree(
                "{\"model\":\"m\",\"max_tokens\":5,\"stream\":true,\"messages\":[]}"), true), TARGET);
    }

    private StreamTranslator run(ChatRequest request, String fixture) {
        StreamTranslator translator = adapter.newStreamTranslator(request, TARGET);
        translateAll(translator, events(fixture, 0));
        return translator;
    }

    private static List<SseEvent> translateAll(StreamTranslator translator, List<SseEvent> upstream) {
        List<SseEvent> out = new ArrayList<>();
        for (SseEvent event : upstream) {
            out.addAll(translator.onEvent(event));
        }
        return out;
    }
}
