package ai.higress.provider.gemini;

import static ai.higress.provider.gemini.GeminiFixtures.KEY;
import static ai.higress.provider.gemini.GeminiFixtures.adapter;
import static ai.higress.provider.gemini.GeminiFixtures.bytes;
import static ai.higress.provider.gemini.GeminiFixtures.events;
import static ai.higress.provider.gemini.GeminiFixtures.json;
import static ai.higress.provider.gemini.GeminiFixtures.request;
import static ai.higress.provider.gemini.GeminiFixtures.target;
import static ai.higress.provider.gemini.GeminiFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.ChatResult;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.UpstreamRequest;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;
import ai.higress.stream.SseEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The fast path: a client speaking Gemini itself, in front of a Gemini upstream, gets everything untouched. */
class GeminiRelayTest {
    private final GeminiAdapter adapter = adapter();

    /** A Gemini client's request: its own body, with the canonical form an ingress would have derived. */
    private static ChatRequest geminiClient(boolean stream) {
        ObjectNode canonical = json("request-system-multiturn.openai.json");
        canonical.put("stream", stream);
        ObjectNode original = json("request-system-multiturn.gemini.json");
        original.putObject("safetySettings").put("note", "a Gemini-only field the canonical form cannot carry");
        return request(canonical).fromClient(WireProtocol.GEMINI, original);
    }

    @Test
    void theClientsOwnBodyIsSent() {
        ChatRequest request = geminiClient(false);
        UpstreamRequest upstream = adapter.toUpstream(request, target("gemini-2.5-flash"), "r");
        assertArrayEquals(Json.bytes(request.clientBody()), upstream.body());
        assertEquals("/models/gemini-2.5-flash:generateContent", upstream.path());
        assertEquals(KEY, upstream.headers().get("x-goog-api-key"));

        UpstreamRequest stream = adapter.toUpstream(geminiClient(true), target("gemini-2.5-flash"), "r");
        assertEquals("/models/gemini-2.5-flash:streamGenerateContent?alt=sse", stream.path());
    }

    @Test
    void theAnswerIsRelayedAsItCame() {
        byte[] body = bytes("response-function-calls.gemini.json");
        ChatResult result = adapter.toResponse(geminiClient(false), body, target("gemini-2.5-flash"));
        assertArrayEquals(body, result.body());
        assertEquals(WireProtocol.GEMINI, result.protocol());
        assertEquals("tool_calls", result.finishReason());
        assertEquals(Optional.of(new Usage(74, 78, 152, 0, 48)), result.usage());

        ChatResult blocked = adapter.toResponse(geminiClient(false), bytes("response-prompt-blocked.gemini.json"),
                target("gemini-2.5-flash"));
        assertEquals("content_filter", blocked.finishReason(), "a Gemini client reads promptFeedback itself");

        assertThrows(UpstreamException.class, () -> adapter.toResponse(geminiClient(false),
                bytes("error-unavailable.json"), target("gemini-2.5-flash")));
    }

    @Test
    void streamEventsPassThroughUntilTheFinishReason() {
        List<SseEvent> upstream = events(bytes("stream-function-call.gemini.sse"), 7);
        StreamTranslator translator = adapter.newStreamTranslator(geminiClient(true), target("gemini-2.5-flash"));
        assertEquals(WireProtocol.GEMINI, translator.protocol());

        List<SseEvent> relayed = new ArrayList<>(translator.onEvent(upstream.get(0)));
        assertFalse(translator.finished());
        relayed.addAll(translator.onEvent(upstream.get(1)));

        assertEquals(upstream, relayed);
        assertTrue(translator.finished(), "no [DONE] in Gemini's dialect: the finish reason ends it");
        assertEquals(Optional.of(new Usage(40, 34, 74, 0, 12)), translator.usage());
    }

    @Test
    void aBrokenRelayedStreamEndsWithGooglesErrorEnvelope() {
        List<SseEvent> upstream = events(bytes("stream-error.gemini.sse"), 64);
        StreamTranslator translator = adapter.newStreamTranslator(geminiClient(true), target("gemini-2.5-flash"));
        assertEquals(List.of(upstream.get(0)), translator.onEvent(upstream.get(0)));

        UpstreamException failure = assertThrows(UpstreamException.class, () -> translator.onEvent(upstream.get(1)));
        assertEquals(ErrorKind.OVERLOADED, failure.kind());
        JsonNode error = tree(translator.errorEvent(failure).data()).path("error");
        assertEquals(503, error.path("code").asInt());
        assertEquals("UNAVAILABLE", error.path("status").asText());
        assertTrue(error.path("message").asText().contains("overloaded"));
    }
}
