package ai.higress.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The schema validator itself: it accepts what the spec allows and names what it does not. */
class OpenAiSchemaTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String COMPLETION = "CreateChatCompletionResponse";
    private static final String CHUNK = "CreateChatCompletionStreamResponse";

    @Test
    void aRecordedOpenAiAnswerViolatesOnlyTheKnownSpecGaps() throws IOException {
        JsonNode recorded = recorded("chat-basic.response.json");
        // the two gaps STACK-NOTES.md describes for real OpenAI traffic, and nothing else
        assertEquals(List.of("/choices/0: required property 'logprobs' not found",
                "/system_fingerprint: null found, string expected"),
                OpenAiSchema.violations(COMPLETION, recorded).stream().sorted().toList());
        ((ObjectNode) recorded).remove("system_fingerprint");
        ((ObjectNode) recorded.path("choices").get(0)).putNull("logprobs");
        assertEquals(List.of(), OpenAiSchema.violations(COMPLETION, recorded));
    }

    @Test
    void violationsAreNamedByPath() throws IOException {
        JsonNode completion = MAPPER.readTree("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1.5,"
                + "\"model\":\"m\",\"choices\":[{\"index\":0,\"finish_reason\":\"done\",\"logprobs\":null,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"x\"}}],\"usage\":{\"prompt_tokens\":1}}");
        assertEquals(List.of("/choices/0/finish_reason: does not have a value in the enumeration [\"stop\", "
                        + "\"length\", \"tool_calls\", \"content_filter\", \"function_call\"]",
                "/choices/0/message: required property 'refusal' not found",
                "/created: number found, integer expected",
                "/usage: required property 'completion_tokens' not found",
                "/usage: required property 'total_tokens' not found"),
                OpenAiSchema.violations(COMPLETION, completion).stream().sorted().toList());
        AssertionError failure = assertThrows(AssertionError.class,
                () -> OpenAiSchema.assertChatCompletion(completion));
        assertTrue(failure.getMessage().contains("5 violations"), failure.getMessage());
    }

    @Test
    void chunksAndTheirNullableFields() throws IOException {
        JsonNode chunk = MAPPER.readTree("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"tool_calls\":[{\"index\":"
                + "0,\"function\":{\"arguments\":\"{\"}}]},\"finish_reason\":null,\"logprobs\":null}],"
                + "\"usage\":null}");
        assertEquals(List.of(), OpenAiSchema.violations(CHUNK, chunk));
        ((ObjectNode) chunk.path("choices").get(0)).remove("finish_reason");
        ((ObjectNode) chunk.path("choices").get(0).path("delta").path("tool_calls").get(0)).remove("index");
        assertEquals(List.of("/choices/0/delta/tool_calls/0: required property 'index' not found",
                "/choices/0: required property 'finish_reason' not found"),
                OpenAiSchema.violations(CHUNK, chunk).stream().sorted().toList());
        assertThrows(AssertionError.class, () -> OpenAiSchema.assertChatChunk(MAPPER.readTree("{}")));
    }

    @Test
    void nullableAdmitsNullButNothingElse() throws IOException {
        JsonNode chunk = MAPPER.readTree("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"halt\"}],"
                + "\"usage\":{\"prompt_tokens\":1}}");
        List<String> violations = OpenAiSchema.violations(CHUNK, chunk);
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("/choices/0/finish_reason: ")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("/usage")), violations.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"chat-bad-request", "chat-unknown-model", "embeddings-bad-request",
            "embeddings-unknown-model"})
    void recordedOpenAiErrorsAreValidEnvelopes(String name) throws IOException {
        OpenAiSchema.assertError(recorded(name + ".response.json"));
    }

    @Test
    void anEnvelopeNeedsAllFourErrorFields() throws IOException {
        JsonNode envelope = MAPPER.readTree("{\"error\":{\"message\":\"m\",\"type\":\"t\",\"code\":7}}");
        assertEquals(List.of("/error/code: integer found, string expected", "/error/code: integer found, null expected",
                "/error: required property 'param' not found").stream().sorted().toList(),
                OpenAiSchema.violations("ErrorResponse", envelope).stream().sorted().toList());
    }

    @Test
    void recordedEmbeddingsAreValidAndBase64IsTheSpecsGap() throws IOException {
        OpenAiSchema.assertEmbeddings(recorded("embeddings-basic.response.json"));
        // encoding_format=base64 answers a string per embedding; the published schema only knows the float array
        List<String> base64 = OpenAiSchema.violations("CreateEmbeddingResponse",
                recorded("embeddings-base64.response.json"));
        assertEquals(List.of("/data/0/embedding: string found, array expected"), base64);
        OpenAiSchema.assertBase64Embeddings(recorded("embeddings-base64.response.json"));
    }

    @Test
    void aBase64AnswerIsCheckedAsTheFloatsItEncodes() throws IOException {
        ObjectNode answer = (ObjectNode) recorded("embeddings-base64.response.json");
        assertThrows(AssertionError.class,
                () -> OpenAiSchema.assertBase64Embeddings(recorded("embeddings-basic.response.json")), "floats");
        ((ObjectNode) answer.path("data").get(0)).put("embedding", "AACAPwAAAMAAAA==");
        assertThrows(AssertionError.class, () -> OpenAiSchema.assertBase64Embeddings(answer), "10 bytes");
        ((ObjectNode) answer.path("data").get(0)).put("embedding", "AACAPwAAAMAAAAAA").remove("index");
        AssertionError missingIndex = assertThrows(AssertionError.class,
                () -> OpenAiSchema.assertBase64Embeddings(answer));
        assertTrue(missingIndex.getMessage().contains("index"), missingIndex.getMessage());
    }

    @Test
    void streamEventsAreCheckedByTheirOwnType() throws IOException {
        OpenAiSchema.assertStreamEvent(MAPPER.readTree("{\"type\":\"response.output_text.delta\","
                + "\"sequence_number\":3,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,"
                + "\"delta\":\"Hi\",\"logprobs\":[]}"));
        AssertionError unknown = assertThrows(AssertionError.class, () -> OpenAiSchema.assertStreamEvent(
                MAPPER.readTree("{\"type\":\"response.made_up\",\"sequence_number\":1}")));
        assertTrue(unknown.getMessage().contains("response.made_up"), unknown.getMessage());
        AssertionError broken = assertThrows(AssertionError.class, () -> OpenAiSchema.assertStreamEvent(
                MAPPER.readTree("{\"type\":\"response.output_text.delta\",\"sequence_number\":3,"
                        + "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"logprobs\":[]}")));
        assertTrue(broken.getMessage().contains("ResponseTextDeltaEvent"), broken.getMessage());
    }

    @Test
    void aPropertyNamedLikeAKeywordKeepsItsSchema() throws IOException {
        // FunctionTool has a property called "description": the extraction drops the keyword, never the property
        JsonNode tool = MAPPER.readTree("{\"type\":\"function\",\"name\":\"f\",\"strict\":true,"
                + "\"parameters\":{},\"description\":42}");
        List<String> violations = OpenAiSchema.violations("FunctionTool", tool);
        assertTrue(violations.stream().allMatch(v -> v.startsWith("/description: ")), violations.toString());
        assertFalse(violations.isEmpty());
        ((ObjectNode) tool).put("description", "adds two numbers");
        assertEquals(List.of(), OpenAiSchema.violations("FunctionTool", tool));
    }

    @Test
    void anUnknownDefinitionIsAMistakeInTheTest() {
        assertThrows(IllegalArgumentException.class,
                () -> OpenAiSchema.violations("NoSuchSchema", MAPPER.createObjectNode()));
    }

    private static JsonNode recorded(String file) throws IOException {
        try (InputStream in = OpenAiSchemaTest.class.getResourceAsStream("/fixtures/openai/" + file)) {
            return MAPPER.readTree(in);
        }
    }
}
