package ai.higress.provider.anthropic;

import static ai.higress.provider.anthropic.AnthropicFixtures.CLOCK;
import static ai.higress.provider.anthropic.AnthropicFixtures.TARGET;
import static ai.higress.provider.anthropic.AnthropicFixtures.fixture;
import static ai.higress.provider.anthropic.AnthropicFixtures.hello;
import static ai.higress.provider.anthropic.AnthropicFixtures.json;
import static ai.higress.provider.anthropic.AnthropicFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.ChatResult;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;
import ai.higress.testing.OpenAiSchema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Anthropic messages as OpenAI chat completions, against hand-written golden fixtures and the OpenAI schema. */
class AnthropicResponseTest {
    private final AnthropicAdapter adapter = new AnthropicAdapter(CLOCK);

    @ParameterizedTest
    @CsvSource({"text, stop", "tool-use, tool_calls", "thinking, stop", "refusal, content_filter",
        "max-tokens-cache, length"})
    void goldenResponses(String name, String finishReason) {
        ChatResult result = adapter.toResponse(hello(""), fixture("response-" + name + ".anthropic.json"), TARGET);

        assertEquals(json("response-" + name + ".openai.json"), tree(result.body()));
        assertEquals(WireProtocol.OPENAI_CHAT, result.protocol());
        assertEquals(finishReason, result.finishReason());
        OpenAiSchema.assertChatCompletion(tree(result.body()));
    }

    @Test
    void jsonModeAnswersWithTheForcedToolsInputAsContent() {
        ChatRequest request = hello("\"response_format\":{\"type\":\"json_object\"}");
        ChatResult result = adapter.toResponse(request, fixture("response-json-mode.anthropic.json"), TARGET);
        assertEquals(json("response-json-mode.openai.json"), tree(result.body()));
        assertEquals("stop", result.finishReason());
        OpenAiSchema.assertChatCompletion(tree(result.body()));
    }

    @Test
    void usageCountsCacheReadsAndWritesAsPromptTokens() {
        ChatResult result = adapter.toResponse(hello(""), fixture("response-max-tokens-cache.anthropic.json"), TARGET);
        assertEquals(Optional.of(new Usage(189_607, 10, 189_617, 1500, 0, 188_086)), result.usage());
        assertEquals(result.usage(), Usage.fromOpenAi(tree(result.body()).get("usage")),
                "the OpenAI usage object carries the same counts, cache writes included");
        assertEquals(Optional.of(new Usage(12, 10, 22, 0, 0, 0)),
                adapter.toResponse(hello(""), fixture("response-text.anthropic.json"), TARGET).usage());
    }

    @ParameterizedTest
    @CsvSource({"end_turn, stop", "stop_sequence, stop", "max_tokens, length", "tool_use, tool_calls",
        "refusal, content_filter", "pause_turn, stop", "model_context_window_exceeded, length", "'', stop"})
    void stopReasons(String stopReason, String finishReason) {
        ObjectNode message = (ObjectNode) json("response-text.anthropic.json");
        message.put("stop_reason", stopReason);
        ChatResult result = adapter.toResponse(hello(""), message.toString().getBytes(StandardCharsets.UTF_8),
                TARGET);
        assertEquals(finishReason, result.finishReason());
    }

    @Test
    void anAnthropicClientGetsTheUpstreamBodyUntouched() {
        byte[] body = fixture("response-tool-use.anthropic.json");
        ChatResult result = adapter.toResponse(AnthropicFixtures.fromAnthropicClient((ObjectNode) tree(
                "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}"), false), body, TARGET);
        assertArrayEquals(fixture("response-tool-use.anthropic.json"), result.body());
        assertEquals(WireProtocol.ANTHROPIC_MESSAGES, result.protocol());
        assertEquals("tool_calls", result.finishReason());
        assertEquals(Optional.of(new Usage(402, 96, 498, 0, 0, 0)), result.usage());
    }

    @Test
    void anErrorObjectInA200IsClassified() {
        UpstreamException failure = assertThrows(UpstreamException.class, () -> adapter.toResponse(hello(""),
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"
                        .getBytes(StandardCharsets.UTF_8), TARGET));
        assertEquals(ErrorKind.OVERLOADED, failure.kind());
        assertEquals("provider 'anthropic' failed: Overloaded", failure.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html>502</html>", "[1]", "", "{\"type\":"})
    void aBodyThatIsNotAJsonObjectIsAProtocolError(String body) {
        UpstreamException failure = assertThrows(UpstreamException.class,
                () -> adapter.toResponse(hello(""), body.getBytes(StandardCharsets.UTF_8), TARGET));
        assertEquals(ErrorKind.PROTOCOL, failure.kind());
        assertEquals("provider 'anthropic' answered with a body that is not a JSON object", failure.getMessage());
    }
}
