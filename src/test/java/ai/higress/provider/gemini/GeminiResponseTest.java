package ai.higress.provider.gemini;

import static ai.higress.provider.gemini.GeminiFixtures.adapter;
import static ai.higress.provider.gemini.GeminiFixtures.bytes;
import static ai.higress.provider.gemini.GeminiFixtures.json;
import static ai.higress.provider.gemini.GeminiFixtures.request;
import static ai.higress.provider.gemini.GeminiFixtures.target;
import static ai.higress.provider.gemini.GeminiFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.ChatResult;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;
import ai.higress.testing.OpenAiSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Gemini answers as OpenAI chat completions (fixtures/gemini/response-*), valid by OpenAI's published schema. */
class GeminiResponseTest {
    private static final ChatRequest HELLO = request("{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Hi\"}]}");

    private final GeminiAdapter adapter = adapter();

    @ParameterizedTest
    @CsvSource({
            "response-text, stop, 21, 7, 28, 0, 0",
            "response-function-calls, tool_calls, 74, 78, 152, 0, 48",
            "response-safety, content_filter, 12, 0, 12, 0, 0",
            "response-max-tokens, length, 9, 10, 19, 0, 0",
            "response-thoughts, stop, 2150, 250, 2400, 2048, 244"})
    void fixtureTranslatesToItsCompletion(String name, String finishReason, long prompt, long completion,
                                          long total, long cached, long reasoning) {
        ChatResult result = adapter.toResponse(HELLO, bytes(name + ".gemini.json"), target("gemini-2.0-flash"));

        JsonNode body = tree(result.body());
        assertEquals(json(name + ".openai.json"), body);
        OpenAiSchema.assertChatCompletion(body);
        assertEquals(finishReason, result.finishReason());
        assertEquals(Optional.of(new Usage(prompt, completion, total, cached, reasoning)), result.usage());
        assertEquals(WireProtocol.OPENAI_CHAT, result.protocol());
    }

    @Test
    void theSchemaCheckRejectsABrokenCompletion() {
        ObjectNode broken = json("response-text.openai.json");
        ((ObjectNode) broken.path("choices").path(0)).put("finish_reason", "SAFETY");
        broken.remove("created");
        List<String> violations = OpenAiSchema.violations("CreateChatCompletionResponse", broken);
        assertEquals(2, violations.size(), violations.toString());
    }

    @Test
    void candidatesBecomeChoicesInIndexOrder() {
        ChatResult result = adapter.toResponse(HELLO, bytes("response-two-candidates.gemini.json"),
                target("gemini-2.0-flash"));
        JsonNode choices = tree(result.body()).path("choices");
        assertEquals(2, choices.size());
        assertEquals("Azure.", choices.path(0).path("message").path("content").asText());
        assertEquals(1, choices.path(1).path("index").asInt());
        assertEquals("Blue.", choices.path(1).path("message").path("content").asText());
        OpenAiSchema.assertChatCompletion(tree(result.body()));
    }

    @Test
    void aBlockedPromptIsAContentFilterError() {
        UpstreamException failure = assertThrows(UpstreamException.class, () -> adapter.toResponse(HELLO,
                bytes("response-prompt-blocked.gemini.json"), target("gemini-2.0-flash")));
        assertEquals(ErrorKind.CONTENT_FILTERED, failure.kind());
        assertEquals(400, failure.status());
        assertEquals(Optional.of("content_filter"), failure.code());
        assertEquals(Optional.of("messages"), failure.param());
        assertTrue(failure.getMessage().contains("PROHIBITED_CONTENT"), failure.getMessage());
        assertFalse(failure.kind().retryable());
    }

    @Test
    void withoutResponseIdOrModelVersionTheIdsAndModelAreTheGatewaysOwn() {
        String body = "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\"}}]},"
                + "\"finishReason\":\"STOP\"}]}";
        ChatResult result = adapter.toResponse(HELLO, body.getBytes(StandardCharsets.UTF_8),
                target("models/gemini-2.0-flash"));
        JsonNode completion = tree(result.body());
        assertEquals("chatcmpl-fixedid0001", completion.path("id").asText());
        assertEquals("gemini-2.0-flash", completion.path("model").asText());
        JsonNode call = completion.path("choices").path(0).path("message").path("tool_calls").path(0);
        assertEquals("call_fixedid0001_0_0", call.path("id").asText());
        assertEquals("{}", call.path("function").path("arguments").asText(), "a call without args has no arguments");
        assertEquals(Optional.empty(), result.usage());
        assertFalse(completion.has("usage"));
        OpenAiSchema.assertChatCompletion(completion);
    }

    @Test
    void anErrorObjectInA200IsClassified() {
        UpstreamException failure = assertThrows(UpstreamException.class, () -> adapter.toResponse(HELLO,
                bytes("error-unavailable.json"), target("gemini-2.0-flash")));
        assertEquals(ErrorKind.OVERLOADED, failure.kind());
        assertEquals(503, failure.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html>502</html>", "[]", "", "{\"candidates\":[]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"executableCode\":{\"code\":\"print(1)\"}}]}}]}"})
    void answersTheClientCannotBeGivenAreProtocolErrors(String body) {
        UpstreamException failure = assertThrows(UpstreamException.class, () -> adapter.toResponse(HELLO,
                body.getBytes(StandardCharsets.UTF_8), target("gemini-2.0-flash")));
        assertEquals(ErrorKind.PROTOCOL, failure.kind());
        assertTrue(failure.kind().retryable(), "another target may answer");
        assertFalse(failure.getMessage().contains("html"), failure.getMessage());
    }
}
