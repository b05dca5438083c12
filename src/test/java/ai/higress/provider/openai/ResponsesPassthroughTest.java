package ai.higress.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.config.ProviderConfig;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.ChatResult;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamRequest;
import ai.higress.responses.ResponsesRequests;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;
import ai.higress.stream.SseEvent;
import ai.higress.stream.SseReader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Responses clients relayed untouched to an upstream that serves {@code /responses} (fixtures/responses). */
class ResponsesPassthroughTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-26T10:00:00Z"), ZoneOffset.UTC);
    private static final OpenAiAdapter ADAPTER = new OpenAiAdapter(CLOCK);
    private static final ProviderConfig OPENAI = OpenAiAdapterTest.provider("openai",
            "{type: openai, api-key: sk-test-upstream-0123456789}");
    private static final ProviderConfig CHAT_ONLY = OpenAiAdapterTest.provider("local",
            "{type: openai, base-url: \"http://127.0.0.1:9/v1\"}");
    private static final Target NATIVE = new Target(OPENAI, "gpt-4.1", 1).withKey(OPENAI.keys().getFirst());

    private static ChatRequest request(String json, Optional<List<ObjectNode>> history) {
        try {
            return ResponsesRequests.toChat(ResponsesRequests.read((ObjectNode) Json.MAPPER.readTree(json)), history);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] fixture(String name) {
        try (InputStream in = ResponsesPassthroughTest.class.getResourceAsStream("/fixtures/responses/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<SseEvent> events(String name) {
        try {
            SseReader reader = new SseReader(new java.io.ByteArrayInputStream(fixture(name)), 1 << 20);
            List<SseEvent> events = new ArrayList<>();
            for (Optional<SseEvent> next = reader.next(); next.isPresent(); next = reader.next()) {
                events.add(next.get());
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StreamTranslator relay() {
        return ADAPTER.newStreamTranslator(request("{\"model\":\"m\",\"input\":\"Hi\",\"stream\":true}",
                Optional.empty()), NATIVE);
    }

    @Test
    void theOpenAiPresetServesResponsesAndOtherProvidersDoNot() {
        assertTrue(OPENAI.responsesApi());
        assertFalse(CHAT_ONLY.responsesApi());
        assertTrue(OpenAiAdapterTest.provider("vllm", "{type: openai, preset: vllm, responses-api: true}")
                .responsesApi());
    }

    @Test
    void theClientBodyGoesToResponsesWithOnlyTheModelReplaced() {
        String body = "{\"model\":\"smart\",\"input\":\"Hi\",\"include\":[\"reasoning.encrypted_content\"],"
                + "\"reasoning\":{\"effort\":\"high\",\"summary\":\"auto\"},\"store\":false}";
        UpstreamRequest upstream = ADAPTER.toUpstream(request(body, Optional.empty()), NATIVE, "req-1");
        assertEquals("/responses", upstream.path());
        ObjectNode expected = (ObjectNode) json(body.getBytes(StandardCharsets.UTF_8));
        expected.put("model", "gpt-4.1");
        assertEquals(expected, json(upstream.body()));
        assertEquals("Bearer sk-test-upstream-0123456789", upstream.headers().get("authorization"));
        assertEquals("req-1", upstream.headers().get("x-request-id"));
    }

    @Test
    void aProviderWithoutResponsesGetsTheCanonicalChatRequest() {
        ChatRequest request = request("{\"model\":\"m\",\"input\":\"Hi\",\"max_output_tokens\":100}", Optional.empty());
        UpstreamRequest upstream = ADAPTER.toUpstream(request, new Target(CHAT_ONLY, "qwen", 1), "req-1");
        assertEquals("/chat/completions", upstream.path());
        assertEquals(100, json(upstream.body()).path("max_completion_tokens").asInt());
    }

    @Test
    void previousResponseIdReachesTheUpstreamOnlyWhenTheUpstreamHoldsIt() {
        String body = "{\"model\":\"m\",\"input\":\"And?\",\"previous_response_id\":\"resp_x\"}";
        JsonNode heldUpstream = json(ADAPTER.toUpstream(request(body, Optional.empty()), NATIVE, "r").body());
        assertEquals("resp_x", heldUpstream.path("previous_response_id").asText());
        assertEquals("And?", heldUpstream.path("input").asText());
        List<ObjectNode> history = List.of((ObjectNode) Json.object().put("type", "message").put("role", "user")
                .put("content", "First?"));
        JsonNode expanded = json(ADAPTER.toUpstream(request(body, Optional.of(history)), NATIVE, "r").body());
        assertFalse(expanded.has("previous_response_id"), "the gateway's own id means nothing upstream");
        assertEquals(2, expanded.path("input").size());
    }

    @Test
    void aJsonAnswerIsRelayedAsItCameWithItsUsage() {
        byte[] body = fixture("upstream-response.json");
        ChatResult result = ADAPTER.toResponse(request("{\"model\":\"m\",\"input\":\"Hi\"}", Optional.empty()), body,
                NATIVE);
        assertSame(body, result.body());
        assertEquals(WireProtocol.OPENAI_RESPONSES, result.protocol());
        assertEquals(Optional.of(new Usage(9, 6, 15, 0, 0)), result.usage());
        assertEquals("stop", result.finishReason());
    }

    @Test
    void aFailedResponseFailsTheAttempt() {
        ObjectNode failed = (ObjectNode) json(fixture("upstream-response.json"));
        failed.put("status", "failed").putObject("error").put("code", "server_error").put("message", "boom");
        UpstreamException failure = assertThrows(UpstreamException.class, () -> ADAPTER.toResponse(
                request("{\"model\":\"m\",\"input\":\"Hi\"}", Optional.empty()), Json.bytes(failed), NATIVE));
        assertEquals(ErrorKind.SERVER, failure.kind());
    }

    @Test
    void theStreamIsRelayedUntouchedFromTheFirstOutputOn() {
        StreamTranslator relay = relay();
        assertEquals(WireProtocol.OPENAI_RESPONSES, relay.protocol());
        List<SseEvent> upstream = events("upstream-stream.sse");
        assertEquals(List.of(), relay.onEvent(upstream.get(0)), "held until there is output");
        assertEquals(List.of(), relay.onEvent(upstream.get(1)));
        assertEquals(upstream.subList(0, 3), relay.onEvent(upstream.get(2)));
        List<SseEvent> relayed = new ArrayList<>(upstream.subList(0, 3));
        for (SseEvent event : upstream.subList(3, upstream.size())) {
            relayed.addAll(relay.onEvent(event));
        }
        assertEquals(upstream, relayed);
        assertTrue(relay.finished());
        assertEquals(Optional.of(new Usage(9, 6, 15, 0, 0)), relay.usage());
    }

    @Test
    void anErrorBeforeAnyOutputFailsTheAttemptSoAnotherTargetCanAnswer() {
        StreamTranslator relay = relay();
        List<SseEvent> upstream = events("upstream-stream-error.sse");
        assertEquals(List.of(), relay.onEvent(upstream.get(0)));
        assertEquals(List.of(), relay.onEvent(upstream.get(1)));
        UpstreamException failure = assertThrows(UpstreamException.class, () -> relay.onEvent(upstream.get(2)));
        assertEquals(ErrorKind.RATE_LIMITED, failure.kind());
    }

    @Test
    void afterTheCommitPointTheClientGetsTheUpstreamsOwnFailureEvent() {
        StreamTranslator relay = relay();
        for (SseEvent event : events("upstream-stream.sse").subList(0, 5)) {
            relay.onEvent(event);
        }
        SseEvent failed = SseEvent.named("response.failed", "{\"type\":\"response.failed\",\"sequence_number\":5,"
                + "\"response\":{\"id\":\"resp_upstream0001\",\"status\":\"failed\","
                + "\"error\":{\"code\":\"server_error\",\"message\":\"The model failed.\"}}}");
        UpstreamException failure = assertThrows(UpstreamException.class, () -> relay.onEvent(failed));
        assertEquals(ErrorKind.SERVER, failure.kind());
        assertSame(failed, relay.errorEvent(failure));
        SseEvent broken = relay.errorEvent(UpstreamException.connectionLost("the stream broke off"));
        assertEquals("error", broken.event());
        assertEquals(6, json(broken.data().getBytes(StandardCharsets.UTF_8)).path("sequence_number").asInt(),
                "numbered after the last upstream event");
    }
}
