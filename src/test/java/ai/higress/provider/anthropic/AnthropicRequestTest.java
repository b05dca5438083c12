package ai.higress.provider.anthropic;

import static ai.higress.provider.anthropic.AnthropicFixtures.ANTHROPIC;
import static ai.higress.provider.anthropic.AnthropicFixtures.CLOCK;
import static ai.higress.provider.anthropic.AnthropicFixtures.KEY;
import static ai.higress.provider.anthropic.AnthropicFixtures.TARGET;
import static ai.higress.provider.anthropic.AnthropicFixtures.hello;
import static ai.higress.provider.anthropic.AnthropicFixtures.json;
import static ai.higress.provider.anthropic.AnthropicFixtures.request;
import static ai.higress.provider.anthropic.AnthropicFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import ai.higress.config.ProviderConfig;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamRequest;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenAI chat (canonical) requests as Anthropic Messages requests, against hand-written golden fixtures. */
class AnthropicRequestTest {
    private final AnthropicAdapter adapter = new AnthropicAdapter(CLOCK);

    @ParameterizedTest
    @ValueSource(strings = {"multiturn", "parallel-tools", "images", "json-schema", "reasoning"})
    void goldenRequests(String name) {
        ChatRequest request = request(json("request-" + name + ".openai.json"));
        String before = Json.text(request.body());

        UpstreamRequest upstream = adapter.toUpstream(request, TARGET, "req-1");

        assertEquals(json("request-" + name + ".anthropic.json"), tree(upstream.body()));
        assertEquals("/messages", upstream.path());
        assertEquals(request.stream(), upstream.stream());
        assertEquals(before, Json.text(request.body()), "the canonical request is not mutated");
    }

    @Test
    void headersCarryTheKeyAndTheVersion() {
        UpstreamRequest upstream = adapter.toUpstream(hello(""), TARGET, "req-7");
        assertEquals(Map.of("content-type", "application/json", "accept", "application/json",
                "user-agent", "ai-higress-gateway", "x-request-id", "req-7", "anthropic-version", "2023-06-01",
                "x-api-key", KEY), upstream.headers());
        assertEquals("text/event-stream",
                adapter.toUpstream(hello("\"stream\":true"), TARGET, "r").headers().get("accept"));
    }

    @Test
    void theVersionAndTheDefaultOutputLimitAreConfigurable() {
        ProviderConfig custom = AnthropicFixtures.provider("claude", """
                {type: anthropic, api-key: %s, api-version: "2025-01-01", default-max-tokens: 1000,
                 base-url: "https://proxy.example/anthropic/v1", headers: {anthropic-beta: "files-api-2025-04-14"}}"""
                .formatted(KEY));
        Target target = new Target(custom, "claude-haiku-4-5", 1).withKey(custom.keys().getFirst());
        UpstreamRequest upstream = adapter.toUpstream(hello(""), target, "r");
        assertEquals("2025-01-01", upstream.headers().get("anthropic-version"));
        assertEquals("files-api-2025-04-14", upstream.headers().get("anthropic-beta"));
        assertEquals(1000, tree(upstream.body()).path("max_tokens").asInt());
        assertEquals("https://proxy.example/anthropic/v1", custom.baseUrl().toString());
    }

    @Test
    void theAnthropicPresetFillsItsDefaults() {
        assertEquals("https://api.anthropic.com/v1", ANTHROPIC.baseUrl().toString());
        assertEquals(ai.higress.config.AuthStyle.X_API_KEY, ANTHROPIC.authStyle());
        assertEquals(ai.higress.config.ProviderPreset.ANTHROPIC, ANTHROPIC.preset());
        assertEquals("2023-06-01", ANTHROPIC.apiVersion());
        assertEquals(4096, ANTHROPIC.defaultMaxTokens());
        assertEquals(ai.higress.config.ModelCapabilities.ALL, ANTHROPIC.capabilitiesOf("claude-sonnet-4-5"));
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokens() {
        assertEquals(300, body(hello("\"max_tokens\":100,\"max_completion_tokens\":300")).path("max_tokens").asInt());
        assertEquals(100, body(hello("\"max_tokens\":100")).path("max_tokens").asInt());
        assertEquals(4096, body(hello("\"max_tokens\":null")).path("max_tokens").asInt());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"tool_choice\":\"auto\"                                      | {\"type\":\"auto\"}",
        "\"tool_choice\":\"none\"                                      | {\"type\":\"none\"}",
        "\"tool_choice\":\"required\"                                  | {\"type\":\"any\"}",
        "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}} | {\"type\":\"tool\",\"name\":\"f\"}",
        "\"parallel_tool_calls\":false                                 | {\"type\":\"auto\",\"disable_parallel_tool_use\":true}",
        "\"tool_choice\":\"none\",\"parallel_tool_calls\":false        | {\"type\":\"none\"}",
        "\"parallel_tool_calls\":true                                  | ",
        "\"tool_choice\":null                                          | "})
    void toolChoiceVariants(String choice, String expected) {
        JsonNode body = body(hello("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":"
                + "{\"type\":\"object\"}}}]," + choice));
        assertEquals(expected == null ? null : tree(expected), body.get("tool_choice"));
    }

    @Test
    void jsonObjectBecomesAForcedToolWithAnyObject() {
        JsonNode body = body(hello("\"response_format\":{\"type\":\"json_object\"}"));
        assertEquals(tree("[{\"name\":\"json_response\",\"description\":\"Answer with a JSON object.\","
                + "\"input_schema\":{\"type\":\"object\"}}]"), body.get("tools"));
        assertEquals(tree("{\"type\":\"tool\",\"name\":\"json_response\"}"), body.get("tool_choice"));
        assertFalse(body(hello("\"response_format\":{\"type\":\"text\"}")).has("tools"));
    }

    @Test
    void reasoningEffortBudgetsTakeAtMostHalfOfTheClientLimit() {
        assertEquals(tree("{\"type\":\"enabled\",\"budget_tokens\":5000}"),
                body(hello("\"reasoning_effort\":\"high\",\"max_completion_tokens\":10000")).get("thinking"));
        assertEquals(10000, body(hello("\"reasoning_effort\":\"high\",\"max_completion_tokens\":10000"))
                .path("max_tokens").asInt(), "the client's limit covers thinking, as in OpenAI's API");
        assertEquals(1024, body(hello("\"reasoning_effort\":\"low\",\"max_tokens\":1500"))
                .path("thinking").path("budget_tokens").asInt(), "never below Anthropic's minimum");
        JsonNode minimal = body(hello("\"reasoning_effort\":\"minimal\""));
        assertEquals(1024, minimal.path("thinking").path("budget_tokens").asInt());
        assertEquals(4096 + 1024, minimal.path("max_tokens").asInt());
        assertFalse(body(hello("\"reasoning_effort\":\"none\"")).has("thinking"));
        assertEquals(1, body(hello("\"reasoning_effort\":\"medium\",\"temperature\":1")).path("temperature").asInt());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"n\":2                                         | n",
        "\"logprobs\":true                               | logprobs",
        "\"top_logprobs\":2                              | top_logprobs",
        "\"logit_bias\":{\"50256\":-100}                 | logit_bias",
        "\"presence_penalty\":0.5                        | presence_penalty",
        "\"frequency_penalty\":-1                        | frequency_penalty",
        "\"seed\":42                                     | seed",
        "\"store\":true                                  | store",
        "\"metadata\":{\"app\":\"x\"}                    | metadata",
        "\"modalities\":[\"text\",\"audio\"]             | modalities",
        "\"audio\":{\"voice\":\"alloy\",\"format\":\"wav\"} | audio",
        "\"prediction\":{\"type\":\"content\",\"content\":\"x\"} | prediction",
        "\"functions\":[{\"name\":\"f\"}]                | functions",
        "\"web_search_options\":{}                       | web_search_options",
        "\"vendor_flag\":true                            | vendor_flag",
        "\"temperature\":1.5                             | temperature",
        "\"service_tier\":\"flex\"                       | service_tier",
        "\"response_format\":{\"type\":\"json_object\"},\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}] | response_format",
        "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a\",\"schema\":{\"type\":\"array\"}}} | response_format.json_schema.schema",
        "\"response_format\":{\"type\":\"json_object\"},\"reasoning_effort\":\"low\" | response_format",
        "\"reasoning_effort\":\"high\",\"temperature\":0.2 | temperature",
        "\"reasoning_effort\":\"high\",\"top_p\":0.5      | top_p",
        "\"reasoning_effort\":\"high\",\"max_completion_tokens\":1024 | reasoning_effort",
        "\"reasoning_effort\":\"turbo\"                  | reasoning_effort",
        "\"reasoning_effort\":\"low\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":\"required\" | tool_choice",
        "\"tool_choice\":\"required\"                    | tool_choice",
        "\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"g\"}}] | tools[0].type",
        "\"max_tokens\":0                                | max_tokens"})
    void unsupportedParametersAreRefusedByName(String extra, String param) {
        UpstreamException failure = assertThrows(UpstreamException.class,
                () -> adapter.toUpstream(hello(extra), TARGET, "r"));
        assertEquals(ErrorKind.BAD_REQUEST, failure.kind());
        assertEquals(400, failure.status());
        assertEquals(Optional.of(param), failure.param());
        assertTrue(failure.getMessage().contains("'" + param + "'"), failure.getMessage());
        assertFalse(failure.kind().retryable() || failure.kind().providerFault());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"x\",\"format\":\"wav\"}}]} | messages[0].content[0].type",
        "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/tiff;base64,AAAA\"}}]} | messages[0].content[0].image_url.url",
        "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"ftp://x/y.png\"}}]} | messages[0].content[0].image_url.url",
        "{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"file\":{\"file_id\":\"file-abc\"}}]} | messages[0].content[0].file",
        "{\"role\":\"function\",\"name\":\"f\",\"content\":\"1\"} | messages[0].role",
        "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"t\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{oops\"}}]} | messages[0].tool_calls[0].function.arguments",
        "{\"role\":\"assistant\",\"function_call\":{\"name\":\"f\",\"arguments\":\"{}\"}} | messages[0].function_call",
        "{\"role\":\"tool\",\"content\":\"42\"} | messages[0].tool_call_id"})
    void unsupportedMessageContentIsRefusedByName(String message, String param) {
        UpstreamException failure = assertThrows(UpstreamException.class, () -> adapter.toUpstream(
                request("{\"model\":\"claude\",\"messages\":[" + message + "]}"), TARGET, "r"));
        assertEquals(ErrorKind.BAD_REQUEST, failure.kind());
        assertEquals(Optional.of(param), failure.param());
    }

    @Test
    void reasoningIsRefusedOnATurnThatReturnsToolResults() {
        ObjectNode body = (ObjectNode) json("request-parallel-tools.openai.json");
        body.put("reasoning_effort", "low").put("tool_choice", "auto");
        ((com.fasterxml.jackson.databind.node.ArrayNode) body.get("messages")).remove(4);
        UpstreamException failure = assertThrows(UpstreamException.class,
                () -> adapter.toUpstream(request(body), TARGET, "r"));
        assertEquals(Optional.of("reasoning_effort"), failure.param());
    }

    @Test
    void anAnthropicClientsBodyIsRelayedWithOnlyTheModelAndStreamSet() {
        ObjectNode original = (ObjectNode) tree("{\"model\":\"my-alias\",\"max_tokens\":99,\"system\":[{\"type\":"
                + "\"text\",\"text\":\"s\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"Hi\"}],\"top_k\":5,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":"
                + "2000},\"stream\":false,\"mcp_servers\":[]}");
        String before = Json.text(original);

        UpstreamRequest plain = adapter.toUpstream(AnthropicFixtures.fromAnthropicClient(original, false), TARGET,
                "r");
        ObjectNode expected = original.deepCopy();
        expected.put("model", "claude-sonnet-4-5");
        expected.remove("stream");
        assertEquals(expected, tree(plain.body()));
        assertEquals("/messages", plain.path());

        UpstreamRequest streamed = adapter.toUpstream(AnthropicFixtures.fromAnthropicClient(original, true), TARGET,
                "r");
        expected.put("stream", true);
        assertEquals(expected, tree(streamed.body()));
        assertEquals("text/event-stream", streamed.headers().get("accept"));
        assertEquals(before, Json.text(original), "the client's body is not mutated");
    }

    private JsonNode body(ChatRequest request) {
        return tree(adapter.toUpstream(request, TARGET, "r").body());
    }
}
