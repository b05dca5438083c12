package ai.higress.provider.gemini;

import static ai.higress.provider.gemini.GeminiFixtures.KEY;
import static ai.higress.provider.gemini.GeminiFixtures.adapter;
import static ai.higress.provider.gemini.GeminiFixtures.json;
import static ai.higress.provider.gemini.GeminiFixtures.request;
import static ai.higress.provider.gemini.GeminiFixtures.target;
import static ai.higress.provider.gemini.GeminiFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.ErrorType;
import ai.higress.error.UpstreamException;
import ai.higress.provider.UpstreamRequest;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenAI chat requests translated into Gemini requests (fixtures/gemini/request-*), and what is refused. */
class GeminiRequestTest {
    private static final String HELLO = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";

    private final GeminiAdapter adapter = adapter();

    @ParameterizedTest
    @ValueSource(strings = {"request-system-multiturn", "request-tools", "request-media", "request-schema"})
    void fixtureTranslatesToItsGeminiRequest(String name) {
        ObjectNode original = json(name + ".openai.json");
        ChatRequest request = request(original);
        String before = Json.text(request.body());

        UpstreamRequest upstream = adapter.toUpstream(request, target("gemini-3-pro-preview"), "req-1");

        assertEquals(json(name + ".gemini.json"), tree(upstream.body()));
        assertEquals(before, Json.text(request.body()), "the canonical request is not mutated");
    }

    @Test
    void pathHeadersAndKey() {
        UpstreamRequest json = adapter.toUpstream(request(HELLO + "}"), target("gemini-2.0-flash"), "req-7");
        assertEquals("/models/gemini-2.0-flash:generateContent", json.path());
        assertFalse(json.stream());
        assertEquals(Map.of("content-type", "application/json", "accept", "application/json",
                "user-agent", "ai-higress-gateway", "x-request-id", "req-7", "x-goog-api-key", KEY), json.headers());

        UpstreamRequest stream = adapter.toUpstream(request(HELLO + ",\"stream\":true}"),
                target("models/gemini-2.0-flash"), "req-8");
        assertEquals("/models/gemini-2.0-flash:streamGenerateContent?alt=sse", stream.path());
        assertTrue(stream.stream());
        assertEquals("text/event-stream", stream.headers().get("accept"));
        assertEquals(KEY, stream.headers().get("x-goog-api-key"));
        assertFalse(stream.headers().containsKey("authorization"));
        assertEquals(tree("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}"), tree(stream.body()),
                "stream_options and stream stay out of the body: Gemini streams by endpoint and always reports usage");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gemini/../../v1/files", "gemini-2.0-flash?alt=json", "tunedModels/x", ""})
    void aModelNameThatWouldChangeThePathIsRefused(String model) {
        UpstreamException failure = assertThrows(UpstreamException.class,
                () -> adapter.toUpstream(request(HELLO + "}"), target(model), "r"));
        assertEquals(Optional.of("model"), failure.param());
        assertEquals(400, failure.status());
    }

    @Test
    void nMapsToCandidateCountWithoutAStream() {
        UpstreamRequest upstream = adapter.toUpstream(request(HELLO + ",\"n\":3,\"max_completion_tokens\":50,"
                + "\"max_tokens\":10,\"top_k\":40,\"stop\":[\"a\",\"b\"]}"), target("gemini-2.0-flash"), "r");
        assertEquals(tree("{\"candidateCount\":3,\"maxOutputTokens\":50,\"topK\":40,\"stopSequences\":[\"a\",\"b\"]}"),
                tree(upstream.body()).get("generationConfig"));
    }

    @Test
    void jsonObjectModeAsksForJson() {
        UpstreamRequest upstream = adapter.toUpstream(request(HELLO + ",\"response_format\":{\"type\":"
                + "\"json_object\"}}"), target("gemini-2.0-flash"), "r");
        assertEquals(tree("{\"responseMimeType\":\"application/json\"}"),
                tree(upstream.body()).get("generationConfig"));
    }

    @ParameterizedTest
    @CsvSource({
            "gemini-2.5-flash, none, '{\"thinkingBudget\":0,\"includeThoughts\":false}'",
            "gemini-2.5-pro, low, '{\"thinkingBudget\":1024,\"includeThoughts\":true}'",
            "gemini-2.0-flash-thinking-exp, high, '{\"thinkingBudget\":24576,\"includeThoughts\":true}'",
            "gemini-3-pro-preview, medium, '{\"thinkingLevel\":\"MEDIUM\",\"includeThoughts\":true}'",
            "gemini-3-flash-preview, minimal, '{\"thinkingLevel\":\"MINIMAL\",\"includeThoughts\":true}'",
            "gemini-3-flash-preview, none, '{\"thinkingLevel\":\"MINIMAL\",\"includeThoughts\":false}'"})
    void reasoningEffortBecomesABudgetOrALevelByGeneration(String model, String effort, String thinking) {
        UpstreamRequest upstream = adapter.toUpstream(request(HELLO + ",\"reasoning_effort\":\"" + effort + "\"}"),
                target(model), "r");
        assertEquals(tree(thinking), tree(upstream.body()).path("generationConfig").get("thinkingConfig"));
    }

    @Test
    void aReplayedCallWithoutSignatureGetsTheSkipValueOnGemini3Only() {
        ObjectNode original = json("request-tools.openai.json");
        ((ObjectNode) original.path("messages").path(1).path("tool_calls").path(0)).remove("extra_content");

        JsonNode gemini3 = tree(adapter.toUpstream(request(original), target("gemini-3-pro-preview"), "r").body());
        JsonNode model = gemini3.path("contents").path(1).path("parts");
        assertEquals(GeminiContents.SKIP_SIGNATURE, model.path(0).path("thoughtSignature").asText());
        assertFalse(model.path(1).has("thoughtSignature"), "only the first call of a step carries one");

        JsonNode gemini25 = tree(adapter.toUpstream(request(original), target("gemini-2.5-flash"), "r").body());
        assertFalse(gemini25.path("contents").path(1).path("parts").path(0).has("thoughtSignature"));
    }

    @Test
    void toolChoiceForms() {
        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}},"
                + "{\"type\":\"function\",\"function\":{\"name\":\"b\"}}]";
        assertEquals(tree("{\"functionCallingConfig\":{\"mode\":\"AUTO\"}}"),
                toolConfig(tools + ",\"tool_choice\":\"auto\""));
        assertEquals(tree("{\"functionCallingConfig\":{\"mode\":\"NONE\"}}"),
                toolConfig(tools + ",\"tool_choice\":\"none\""));
        assertEquals(tree("{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"b\"]}}"),
                toolConfig(tools + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"b\"}}"));
        assertEquals(tree("{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"a\"]}}"),
                toolConfig(tools + ",\"tool_choice\":{\"type\":\"allowed_tools\",\"allowed_tools\":{\"mode\":"
                        + "\"required\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}}]}}"));
        assertTrue(toolConfig(tools).isMissingNode(), "no tool_choice, no toolConfig: Gemini's default is AUTO");
    }

    private JsonNode toolConfig(String extra) {
        return tree(adapter.toUpstream(request(HELLO + extra + "}"), target("gemini-2.0-flash"), "r").body())
                .path("toolConfig");
    }

    /** Each refusal names the parameter, is a 400 invalid_request_error and is never retried elsewhere. */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "\"logit_bias\":{\"50256\":-100}|logit_bias|unsupported_parameter",
            "\"logprobs\":true|logprobs|unsupported_parameter",
            "\"top_logprobs\":2|top_logprobs|unsupported_parameter",
            "\"functions\":[{\"name\":\"f\"}]|functions|unsupported_parameter",
            "\"audio\":{\"voice\":\"alloy\",\"format\":\"mp3\"}|audio|unsupported_parameter",
            "\"prediction\":{\"type\":\"content\",\"content\":\"x\"}|prediction|unsupported_parameter",
            "\"web_search_options\":{}|web_search_options|unsupported_parameter",
            "\"verbosity\":\"low\"|verbosity|unsupported_parameter",
            "\"x_vendor_flag\":true|x_vendor_flag|unsupported_parameter",
            "\"store\":true|store|unsupported_parameter",
            "\"service_tier\":\"flex\"|service_tier|unsupported_parameter",
            "\"modalities\":[\"text\",\"audio\"]|modalities|unsupported_parameter",
            "\"stream\":true,\"n\":2|n|unsupported_parameter",
            "\"stream\":true,\"stream_options\":{\"chunk_size\":4}|stream_options.chunk_size|unsupported_parameter",
            "\"parallel_tool_calls\":false,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]"
                    + "|parallel_tool_calls|unsupported_parameter",
            "\"response_format\":{\"type\":\"grammar\"}|response_format.type|unsupported_parameter",
            "\"reasoning_effort\":\"extreme\"|reasoning_effort|invalid_value",
            "\"temperature\":0.2,\"top_k\":\"forty\"|top_k|invalid_value",
            "\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"c\"}}]|tools[0].type|unsupported_parameter",
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\","
                    + "\"properties\":{\"a\":{\"not\":{\"type\":\"string\"}}}}}}]"
                    + "|tools[0].function.parameters.properties.a.not|unsupported_parameter",
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":{\"type\":"
                    + "\"function\",\"function\":{\"name\":\"g\"}}|tool_choice|invalid_value",
            "\"tool_choice\":\"required\"|tool_choice|invalid_value",
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":{\"type\":"
                    + "\"allowed_tools\",\"allowed_tools\":{\"mode\":\"auto\",\"tools\":[]}}"
                    + "|tool_choice.allowed_tools.mode|unsupported_parameter"})
    void refusedParameters(String extra, String param, String code) {
        UpstreamException failure = assertThrows(UpstreamException.class,
                () -> adapter.toUpstream(request(HELLO + "," + extra + "}"), target("gemini-2.0-flash"), "r"));
        assertRefusal(failure, param, code);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":"
                    + "\"http://example.com/cat.png\"}}]}|messages[0].content[0].image_url.url|unsupported_parameter",
            "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"x\"},{\"type\":\"image_url\",\"image_url\":"
                    + "{\"url\":\"https://example.com/render?id=7\"}}]}|messages[0].content[1].image_url.url"
                    + "|unsupported_parameter",
            "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":"
                    + "\"data:image/png,not-base64\"}}]}|messages[0].content[0].image_url.url|invalid_value",
            "{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"file\":{\"file_id\":\"file-abc\"}}]}"
                    + "|messages[0].content[0].file.file_id|unsupported_parameter",
            "{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AA==\","
                    + "\"format\":\"flac\"}}]}|messages[0].content[0].input_audio.format|unsupported_parameter",
            "{\"role\":\"system\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;"
                    + "base64,AA==\"}}]},{\"role\":\"user\",\"content\":\"x\"}|messages[0].content[0].type"
                    + "|unsupported_parameter",
            "{\"role\":\"function\",\"name\":\"f\",\"content\":\"x\"}|messages[0].role|unsupported_parameter",
            "{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"tool\",\"tool_call_id\":\"call_x\",\"content\":\"1\"}"
                    + "|messages[1].tool_call_id|invalid_value",
            "{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":"
                    + "\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"[1,2]\"}}]}"
                    + "|messages[1].tool_calls[0].function.arguments|invalid_value",
            "{\"role\":\"system\",\"content\":\"only a system prompt\"}|messages|invalid_value"})
    void refusedMessages(String messages, String param, String code) {
        String body = "{\"model\":\"m\",\"messages\":[" + messages + "]}";
        UpstreamException failure = assertThrows(UpstreamException.class,
                () -> adapter.toUpstream(request(body), target("gemini-2.0-flash"), "r"));
        assertRefusal(failure, param, code);
    }

    static void assertRefusal(UpstreamException failure, String param, String code) {
        assertEquals(Optional.of(param), failure.param(), failure.getMessage());
        assertEquals(Optional.of(code), failure.code());
        assertEquals(400, failure.status());
        assertEquals(ErrorType.INVALID_REQUEST, failure.type());
        assertEquals(ErrorKind.BAD_REQUEST, failure.kind());
        assertFalse(failure.kind().retryable(), "another target would get the same request");
        assertFalse(failure.kind().providerFault(), "the provider did nothing wrong");
        assertEquals(0, failure.upstreamStatus(), "no upstream was asked");
    }
}
