package ai.higress.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import ai.higress.error.GatewayException;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.WireProtocol;
import ai.higress.testing.Fixtures;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Gemini requests into canonical ones, from fixtures, and the refusals that name the field. */
class GeminiRequestParserTest {

    @Test
    void everyGenerationParameterIsTranslated() {
        byte[] body = Fixtures.bytes("gemini-ingress/full.request.json");
        ChatRequest request = GeminiRequestParser.parse(body, "gemini-2.5-flash", false);

        assertEquals(Fixtures.json("gemini-ingress/full.canonical.json"),
                Fixtures.normalized(request.body()));
        assertTrue(request.nativeTo(WireProtocol.GEMINI), "a Gemini upstream gets the client's own body");
        assertEquals(Fixtures.tree(body), request.clientBody());
    }

    @Test
    void functionCallsAndResponsesArePairedByNameInOrder() {
        ChatRequest request = GeminiRequestParser.parse(Fixtures.bytes("gemini/request-tools.gemini.json"),
                "models/gemini-2.5-pro", false);
        JsonNode body = request.body();

        assertEquals("gemini-2.5-pro", request.model());
        JsonNode calls = body.path("messages").path(1).path("tool_calls");
        assertEquals(2, calls.size());
        assertEquals("{\"city\":\"Rome\",\"unit\":\"celsius\"}", calls.path(1).path("function").path("arguments")
                .asText());
        assertEquals(calls.path(0).path("id"), body.path("messages").path(2).path("tool_call_id"));
        assertEquals(calls.path(1).path("id"), body.path("messages").path(3).path("tool_call_id"));
        assertEquals("{\"content\":\"18 degrees, cloudy\"}", body.path("messages").path(3).path("content").asText());
        assertEquals("Thanks. Which is warmer?", body.path("messages").path(4).path("content").path(0).path("text")
                .asText());
        assertEquals("required", body.path("tool_choice").asText());
        JsonNode parameters = body.path("tools").path(0).path("function").path("parameters");
        assertEquals("object", parameters.path("type").asText());
        assertEquals(Fixtures.tree("[\"string\",\"null\"]"),
                parameters.path("properties").path("unit").path("type"));
        assertEquals("get_time", body.path("tools").path(1).path("function").path("name").asText());
    }

    @Test
    void aStreamAsksForUsageInTheLastChunk() {
        ChatRequest request = GeminiRequestParser.parse(bytes("{\"contents\":[{\"parts\":[{\"text\":\"Hi\"}]}]}"),
                "m", true);
        assertTrue(request.stream());
        assertTrue(request.includeUsage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"contents\":[]}|contents",
        "{\"contents\":[{\"role\":\"system\",\"parts\":[{\"text\":\"x\"}]}]}|contents[0].role",
        "{\"contents\":[{\"parts\":[{\"fileData\":{\"fileUri\":\"gs://b/f\"}}]}]}|contents[0].parts[0]",
        "{\"contents\":[{\"parts\":[{\"inlineData\":{\"mimeType\":\"application/pdf\",\"data\":\"AA==\"}}]}]}"
                + "|contents[0].parts[0].inlineData.mimeType",
        "{\"contents\":[{\"parts\":[{\"functionResponse\":{\"name\":\"f\",\"response\":{}}}]}]}"
                + "|contents[0].parts[0].functionResponse",
        "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"cachedContent\":\"c/1\"}|cachedContent",
        "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"candidateCount\":2}}"
                + "|generationConfig.candidateCount",
        "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"responseMimeType\":\"text/x.enum\"}}"
                + "|generationConfig.responseMimeType",
        "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"responseLogprobs\":true}}"
                + "|generationConfig.responseLogprobs",
        "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"tools\":[{\"googleSearch\":{}}]}|tools[0].googleSearch",
        "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"thinkingConfig\":{\"thinkingLevel\""
                + ":\"MAX\"}}}|generationConfig.thinkingConfig.thinkingLevel"})
    void whatCannotBeMappedIsRefusedNamingTheField(String body, String field) {
        GatewayException refused = assertThrows(GatewayException.class,
                () -> GeminiRequestParser.parse(bytes(body), "m", false));
        assertEquals(400, refused.status());
        assertEquals(field, refused.param().orElseThrow(), refused.getMessage());
        assertTrue(refused.getMessage().contains(field), refused.getMessage());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
