package ai.higress.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.config.GatewayConfig;
import ai.higress.config.ProviderConfig;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.ChatResult;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.provider.openai.OpenAiAdapter;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;
import ai.higress.stream.SseEvent;
import ai.higress.testing.Fixtures;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

/** Canonical answers (recorded OpenAI completions and chunk streams) as Gemini responses and events. */
class GeminiClientCodecTest {
    private static final Target TARGET = target();

    private final OpenAiAdapter adapter = new OpenAiAdapter(Clock.systemUTC());
    private final GeminiClientCodec codec = new GeminiClientCodec();

    @Test
    void aCompletionBecomesOneCandidateWithUsageMetadata() {
        JsonNode response = fromChat("openai/chat-basic.response.json");

        JsonNode candidate = response.path("candidates").path(0);
        assertEquals("model", candidate.path("content").path("role").asText());
        assertEquals(1, candidate.path("content").path("parts").size());
        assertTrue(candidate.path("content").path("parts").path(0).path("text").asText().length() > 0);
        assertEquals("STOP", candidate.path("finishReason").asText());
        JsonNode usage = response.path("usageMetadata");
        assertEquals(usage.path("promptTokenCount").asLong() + usage.path("candidatesTokenCount").asLong()
                + usage.path("thoughtsTokenCount").asLong(), usage.path("totalTokenCount").asLong());
        assertTrue(response.path("modelVersion").asText().startsWith("gpt-5-nano"));
    }

    @Test
    void toolCallsBecomeFunctionCallPartsWithObjectArgs() {
        JsonNode response = fromChat("openai/chat-tools.response.json");

        JsonNode call = response.path("candidates").path(0).path("content").path("parts").path(0).path("functionCall");
        assertEquals("get_current_weather", call.path("name").asText());
        assertEquals("call_8fxy20OEu9ulvvaa5b5CzVA4", call.path("id").asText());
        assertEquals(Fixtures.tree("{\"location\":\"Boston, MA\",\"unit\":\"fahrenheit\"}"), call.path("args"));
        assertEquals("STOP", response.path("candidates").path(0).path("finishReason").asText());
        assertEquals(256, response.path("usageMetadata").path("thoughtsTokenCount").asLong());
        assertEquals(31, response.path("usageMetadata").path("candidatesTokenCount").asLong());
    }

    @Test
    void lengthAndContentFilterFinishesAreMaxTokensAndSafety() {
        for (String[] pair : new String[][] {{"length", "MAX_TOKENS"}, {"content_filter", "SAFETY"}}) {
            String completion = "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"finish_reason\":\""
                    + pair[0] + "\",\"message\":{\"role\":\"assistant\",\"content\":\"x\"}}]}";
            ChatResult result = codec.fromChat(request(false), new ChatResult(
                    completion.getBytes(StandardCharsets.UTF_8), Optional.empty(), pair[0], WireProtocol.OPENAI_CHAT));
            assertEquals(pair[1], Fixtures.tree(result.body()).path("candidates").path(0).path("finishReason")
                    .asText());
            assertEquals(WireProtocol.GEMINI, result.protocol());
        }
    }

    @Test
    void aRecordedStreamBecomesTextEventsThenAFinalEvent() {
        List<JsonNode> events = stream("openai/chat-streaming.response.sse");

        StringBuilder text = new StringBuilder();
        for (JsonNode event : events.subList(0, events.size() - 1)) {
            JsonNode candidate = event.path("candidates").path(0);
            assertTrue(candidate.path("finishReason").isMissingNode(), event.toString());
            text.append(candidate.path("content").path("parts").path(0).path("text").asText());
        }
        assertTrue(text.length() > 0);
        JsonNode last = events.getLast();
        assertEquals("STOP", last.path("candidates").path(0).path("finishReason").asText());
    }

    @Test
    void aRecordedStreamCutAtTheTokenLimitEndsWithMaxTokensAndItsUsage() {
        JsonNode last = stream("openai/chat-streaming-detailed-usage.response.sse").getLast();

        assertEquals("MAX_TOKENS", last.path("candidates").path(0).path("finishReason").asText());
        JsonNode usage = last.path("usageMetadata");
        assertEquals(100, usage.path("thoughtsTokenCount").asLong() + usage.path("candidatesTokenCount").asLong(),
                last.toString());
        assertTrue(usage.path("totalTokenCount").asLong() > 100, last.toString());
    }

    @Test
    void streamedFunctionCallsAreEmittedWholeAtTheEnd() {
        List<JsonNode> events = stream("anthropic-ingress/parallel-tools.chunks.sse");

        JsonNode last = events.getLast();
        JsonNode parts = last.path("candidates").path(0).path("content").path("parts");
        assertEquals(2, parts.size(), last.toString());
        for (JsonNode part : parts) {
            assertEquals("get_weather", part.path("functionCall").path("name").asText());
            assertTrue(part.path("functionCall").path("args").isObject());
        }
        for (JsonNode event : events.subList(0, events.size() - 1)) {
            assertTrue(event.findValue("functionCall") == null, "no partial calls: " + event);
        }
        assertEquals(Fixtures.tree("{\"promptTokenCount\":80,\"candidatesTokenCount\":40,"
                + "\"totalTokenCount\":120,\"cachedContentTokenCount\":64}"), last.path("usageMetadata"));
    }

    @Test
    void aBrokenStreamEndsWithGooglesErrorEnvelope() {
        StreamTranslator translator = codec.fromChatStream(request(true), adapter.newStreamTranslator(request(true),
                TARGET));
        SseEvent error = translator.errorEvent(UpstreamException.transport(ErrorKind.NETWORK, "connection reset"));
        JsonNode envelope = Fixtures.tree(error.data()).path("error");
        assertEquals(502, envelope.path("code").asInt());
        assertEquals("UNAVAILABLE", envelope.path("status").asText());
        assertEquals(WireProtocol.GEMINI, translator.protocol());
    }

    private JsonNode fromChat(String fixture) {
        ChatResult upstream = adapter.toResponse(request(false), Fixtures.bytes(fixture), TARGET);
        ChatResult result = codec.fromChat(request(false), upstream);
        assertEquals(WireProtocol.GEMINI, result.protocol());
        return Fixtures.tree(result.body());
    }

    private List<JsonNode> stream(String fixture) {
        StreamTranslator translator = codec.fromChatStream(request(true), adapter.newStreamTranslator(request(true),
                TARGET));
        List<SseEvent> out = new ArrayList<>();
        for (SseEvent event : Fixtures.events(fixture)) {
            out.addAll(translator.onEvent(event));
        }
        assertTrue(translator.finished());
        assertTrue(translator.onEvent(SseEvent.data("[DONE]")).isEmpty());
        return out.stream().map(event -> Fixtures.tree(event.data())).toList();
    }

    private static ChatRequest request(boolean stream) {
        return GeminiRequestParser.parse("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}"
                .getBytes(StandardCharsets.UTF_8), "gemini-2.5-flash", stream);
    }

    private static Target target() {
        ProviderConfig provider = GatewayConfig.create(Config.just(ConfigSources.create(
                "providers:\n  p: {type: openai, api-key: sk-test-upstream-0123456789}",
                MediaTypes.APPLICATION_X_YAML))).providers().get("p");
        return new Target(provider, "gpt-5-nano", 1).withKey(provider.keys().getFirst());
    }
}
