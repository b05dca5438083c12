package ai.higress.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The schema validator itself: it accepts what the spec allows and names what it does not. */
class OpenAiSchemaTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String COMPLETION = "CreateChatCompletionResponse";
    private static final String CHUNK = "CreateChatCompletionStreamResponse";

    @Test
    void aRecordedOpenAiAnswerViolatesOnlyTheKnownSpecGaps() throws IOException {
        JsonNode recorded;
        try (InputStream in = OpenAiSchemaTest.class.getResourceAsStream("/fixtures/openai/chat-basic.response.json")) {
            recorded = MAPPER.readTree(in);
        }
        // the two gaps STACK-NOTES.md describes for real OpenAI traffic, and nothing else
        assertEquals(List.of("/choices/0: missing required 'logprobs'",
                "/system_fingerprint: expected \"string\" but was NULL"),
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
        assertEquals(List.of("/choices/0/finish_reason: \"done\" not in [\"stop\",\"length\",\"tool_calls\","
                        + "\"content_filter\",\"function_call\"]",
                "/choices/0/message: missing required 'refusal'",
                "/created: expected \"integer\" but was NUMBER",
                "/usage: missing required 'completion_tokens'",
                "/usage: missing required 'total_tokens'"),
                OpenAiSchema.violations(COMPLETION, completion).stream().sorted().toList());
    }

    @Test
    void chunksAndTheirNullableFields() throws IOException {
        JsonNode chunk = MAPPER.readTree("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"tool_calls\":[{\"index\":"
                + "0,\"function\":{\"arguments\":\"{\"}}]},\"finish_reason\":null}]}");
        assertEquals(List.of(), OpenAiSchema.violations(CHUNK, chunk));
        ((ObjectNode) chunk.path("choices").get(0)).remove("finish_reason");
        ((ObjectNode) chunk.path("choices").get(0).path("delta").path("tool_calls").get(0)).remove("index");
        assertEquals(List.of("/choices/0/delta/tool_calls/0: missing required 'index'",
                "/choices/0: missing required 'finish_reason'"),
                OpenAiSchema.violations(CHUNK, chunk).stream().sorted().toList());
        assertThrows(AssertionError.class, () -> OpenAiSchema.assertValid(CHUNK, MAPPER.readTree("{}")));
    }
}
