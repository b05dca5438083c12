package ai.higress.provider.openai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.higress.config.GatewayConfig;
import ai.higress.config.ProviderConfig;
import ai.higress.error.ErrorKind;
import ai.higress.error.ErrorType;
import ai.higress.error.UpstreamException;
import ai.higress.provider.ChatResult;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamRequest;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.ChatRequestParser;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;
import ai.higress.stream.SseEvent;
import ai.higress.stream.SseReader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The OpenAI adapter against bodies recorded from api.openai.com (see fixtures/openai/PROVENANCE.md). */
class OpenAiAdapterTest {
    private static final Instant NOW = Instant.parse("2025-08-14T02:18:43Z");
    private static final String KEY = "sk-test-upstream-0123456789";
    private static final String REQUEST_ID = "req-7f3a";
    private static final String HELLO = "{\"model\":\"gpt-5-nano\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]";
    private static final String RECORDED_TEXT = "Hi there! How can I help today? I can answer questions, explain "
            + "concepts, help with writing or brainstorming, code, plan something, and more. Tell me what you\u2019d "
            + "like to work on or a topic you\u2019re curious about.";

    private static final ProviderConfig OPENAI = provider("openai", "{type: openai, api-key: " + KEY + "}");
    private static final Target TARGET = attemptTarget(OPENAI, "gpt-5-nano-2025-08-07");

    private final OpenAiAdapter adapter = new OpenAiAdapter(Clock.fixed(NOW, ZoneOffset.UTC));

    private static SseEvent withoutUsage(SseEvent event) {
        com.fasterxml.jackson.databind.node.ObjectNode chunk = (com.fasterxml.jackson.databind.node.ObjectNode)
                tree(event.data());
        chunk.remove("usage");
        return new SseEvent(event.event(), ai.higress.schema.Json.text(chunk), event.id());
    }

    /** A target as an attempt sees it: the provider's first key chosen (keyless providers keep none). */
    private static Target attemptTarget(ai.higress.config.ProviderConfig provider, String model) {
        Target target = new Target(provider, model, 1);
        return provider.keys().isEmpty() ? target : target.withKey(provider.keys().getFirst());
    }

    // ---- toUpstream: body

    @Test
    void onlyTheModelChangesAndEveryOtherParameterPassesThrough() {
        ObjectNode original = (ObjectNode) tree(fixture("chat-tools.request.json"));
        original.put("n", 2).put("logprobs", true).put("top_logprobs", 3).put("seed", 42).put("temperature", 0.7)
                .put("parallel_tool_calls", false).put("user", "user-1").put("top_k", 40);
        original.putObject("response_format").put("type", "json_object");
        original.putObject("x_vendor").put("flag", true).putArray("list").add(1).add("two").addNull();
        original.putArray("stop").add("END");
        ChatRequest request = ChatRequestParser.parse(Json.bytes(original));
        String before = Json.text(request.body());

        UpstreamRequest upstream = adapter.toUpstream(request, TARGET, REQUEST_ID);

        ObjectNode expected = original.deepCopy();
        expected.put("model", "gpt-5-nano-2025-08-07");
        // byte-exact: same parameters, same values, same order; only the model differs
        assertEquals(Json.text(expected), text(upstream.body()));
        assertEquals(before, Json.text(request.body()), "the client's request is not mutated");
        assertEquals("/chat/completions", upstream.path());
        assertFalse(upstream.stream());
    }

    @Test
    void aStreamGetsIncludeUsageAndKeepsTheClientsOtherStreamOptions() {
        ChatRequest request = parse(HELLO + ",\"stream\":true,\"stream_options\":{\"include_usage\":false,"
                + "\"continuous_usage_stats\":true},\"temperature\":1}");
        String before = Json.text(request.body());

        UpstreamRequest upstream = adapter.toUpstream(request, TARGET, REQUEST_ID);

        assertEquals("{\"model\":\"gpt-5-nano-2025-08-07\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}],"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true,\"continuous_usage_stats\":true},"
                + "\"temperature\":1}", text(upstream.body()));
        assertEquals(before, Json.text(request.body()), "the client's stream_options object is not mutated");
        assertTrue(upstream.stream());
    }

    @Test
    void aStreamWithoutStreamOptionsGetsThem() {
        UpstreamRequest upstream = adapter.toUpstream(parse(HELLO + ",\"stream\":true}"), TARGET, REQUEST_ID);
        assertEquals("{\"model\":\"gpt-5-nano-2025-08-07\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}],"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}", text(upstream.body()));
    }

    @Test
    void theRecordedStreamingRequestIsSentAsRecorded() {
        byte[] recorded = fixture("chat-streaming-detailed-usage.request.json");
        UpstreamRequest upstream = adapter.toUpstream(ChatRequestParser.parse(recorded),
                attemptTarget(OPENAI, "gpt-5-nano"), REQUEST_ID);
        assertEquals(tree(recorded), tree(upstream.body()));
    }

    @Test
    void noStreamOptionsAddedWhenStreamUsageIsOff() {
        ProviderConfig mistral = provider("mistral", "{type: openai, preset: mistral, api-key: " + KEY + "}");
        assertFalse(mistral.streamUsage());
        Target target = attemptTarget(mistral, "mistral-small-latest");

        UpstreamRequest plain = adapter.toUpstream(parse(HELLO + ",\"stream\":true}"), target, REQUEST_ID);
        assertEquals("{\"model\":\"mistral-small-latest\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}],"
                + "\"stream\":true}", text(plain.body()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"deepseek", "mistral", "ollama", "together", "openrouter"})
    void aVendorThatKnowsOnlyMaxTokensGetsTheLimitUnderThatName(String preset) {
        ProviderConfig provider = provider(preset, "{type: openai, preset: " + preset + ", api-key: " + KEY + "}");
        Target target = attemptTarget(provider, "some-model");

        UpstreamRequest upstream = adapter.toUpstream(parse(HELLO + ",\"max_completion_tokens\":256}"), target,
                REQUEST_ID);
        assertEquals(tree("{\"model\":\"some-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}],"
                + "\"max_tokens\":256}"), tree(upstream.body()));

        UpstreamRequest both = adapter.toUpstream(parse(HELLO + ",\"max_tokens\":100,\"max_completion_tokens\":256}"),
                target, REQUEST_ID);
        assertEquals(256, tree(both.body()).path("max_tokens").asInt(), "the current name's limit wins");
        assertFalse(tree(both.body()).has("max_completion_tokens"));

        UpstreamRequest old = adapter.toUpstream(parse(HELLO + ",\"max_tokens\":100}"), target, REQUEST_ID);
        assertEquals(100, tree(old.body()).path("max_tokens").asInt(), "the old name stays as it is");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "groq", "vllm"})
    void aVendorThatKnowsMaxCompletionTokensGetsTheLimitAsSent(String preset) {
        ProviderConfig provider = provider(preset, "{type: openai, preset: " + preset + ", api-key: " + KEY + "}");
        UpstreamRequest upstream = adapter.toUpstream(parse(HELLO + ",\"max_completion_tokens\":256}"),
                attemptTarget(provider, "some-model"), REQUEST_ID);
        assertEquals(256, tree(upstream.body()).path("max_completion_tokens").asInt());
        assertFalse(tree(upstream.body()).has("max_tokens"));
    }

    @Test
    void noStreamOptionsAddedWithoutAStream() {
        UpstreamRequest upstream = adapter.toUpstream(parse(HELLO + "}"), TARGET, REQUEST_ID);
        assertEquals("{\"model\":\"gpt-5-nano-2025-08-07\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}",
                text(upstream.body()));
    }

    // ---- toUpstream: headers and path

    @Test
    void openAiPresetSendsABearerToken() {
        UpstreamRequest upstream = adapter.toUpstream(parse(HELLO + ",\"user\":\"someone\"}"), TARGET, REQUEST_ID);
        assertEquals(Map.of("content-type", "application/json", "accept", "application/json",
                "user-agent", "ai-higress-gateway", "x-request-id", REQUEST_ID,
                "authorization", "Bearer " + KEY), upstream.headers());
    }

    @Test
    void aStreamAcceptsAnEventStream() {
        UpstreamRequest upstream = adapter.toUpstream(parse(HELLO + ",\"stream\":true}"), TARGET, "req-2");
        assertEquals(Map.of("content-type", "application/json", "accept", "text/event-stream",
                "user-agent", "ai-higress-gateway", "x-request-id", "req-2",
                "authorization", "Bearer " + KEY), upstream.headers());
    }

    @Test
    void azureSendsAnApiKeyHeaderAndUsesTheDeploymentPath() {
        ProviderConfig azure = provider("az", """
                {type: openai, preset: azure, api-key: %s, api-version: 2024-12-01-preview,
                 base-url: "https://resource-name.cognitiveservices.azure.com/openai"}""".formatted(KEY));
        UpstreamRequest upstream = adapter.toUpstream(parse(HELLO + "}"), attemptTarget(azure, "gpt-5-nano"),
                REQUEST_ID);
        assertEquals(Map.of("content-type", "application/json", "accept", "application/json",
                "user-agent", "ai-higress-gateway", "x-request-id", REQUEST_ID, "api-key", KEY), upstream.headers());
        // the URL recorded in azure-chat-basic.yaml, with its api-version form value
        assertEquals("https://resource-name.cognitiveservices.azure.com/openai/deployments/gpt-5-nano/chat/completions"
                + "?api-version=2024-12-01-preview", azure.baseUrl() + upstream.path());
    }

    @Test
    void azureDefaultApiVersion() {
        ProviderConfig azure = provider("az", "{type: openai, preset: azure, api-key: " + KEY
                + ", base-url: \"https://x.openai.azure.com/openai\"}");
        assertEquals("/deployments/my-gpt-4o/chat/completions?api-version=2024-10-21",
                OpenAiAdapter.path(azure, "my-gpt-4o"));
    }

    @Test
    void authStyleNoneSendsNoCredential() {
        ProviderConfig vllm = provider("local", "{type: openai, preset: vllm, auth-style: none, api-key: " + KEY
                + "}");
        UpstreamRequest upstream = adapter.toUpstream(parse(HELLO + "}"), attemptTarget(vllm, "llama"), REQUEST_ID);
        assertEquals(Map.of("content-type", "application/json", "accept", "application/json",
                "user-agent", "ai-higress-gateway", "x-request-id", REQUEST_ID), upstream.headers());
        assertEquals("/chat/completions", upstream.path());
    }

    @Test
    void aProviderWithoutKeySendsNoCredential() {
        ProviderConfig ollama = provider("ollama", "{type: openai, preset: ollama}");
        UpstreamRequest upstream = adapter.toUpstream(parse(HELLO + "}"), attemptTarget(ollama, "llama3"), "r");
        assertFalse(upstream.headers().containsKey("authorization"));
        assertEquals(4, upstream.headers().size());
    }

    @Test
    void staticProviderHeadersAreSent() {
        ProviderConfig openrouter = provider("openrouter", """
                {type: openai, preset: openrouter, api-key: %s,
                 headers: {HTTP-Referer: "https://app.example", X-Title: Demo App}}""".formatted(KEY));
        UpstreamRequest upstream = adapter.toUpstream(parse(HELLO + "}"),
                attemptTarget(openrouter, "openai/gpt-4o-mini"), REQUEST_ID);
        assertEquals(Map.of("HTTP-Referer", "https://app.example", "X-Title", "Demo App",
                "content-type", "application/json", "accept", "application/json",
                "user-agent", "ai-higress-gateway", "x-request-id", REQUEST_ID,
                "authorization", "Bearer " + KEY), upstream.headers());
        assertTrue(text(upstream.body()).startsWith("{\"model\":\"openai/gpt-4o-mini\","));
    }

    // ---- toResponse

    @Test
    void responseKeepsTheUpstreamBytesAndReadsUsage() {
        byte[] body = fixture("chat-basic.response.json");
        ChatResult result = adapter.toResponse(parse(HELLO + "}"), body, TARGET);
        assertArrayEquals(fixture("chat-basic.response.json"), result.body());
        assertEquals(Optional.of(new Usage(8, 377, 385, 0, 320)), result.usage());
        assertEquals("stop", result.finishReason());
    }

    @Test
    void detailedUsage() {
        ChatResult result = adapter.toResponse(parse(HELLO + "}"), fixture("chat-detailed-usage.response.json"),
                TARGET);
        assertArrayEquals(fixture("chat-detailed-usage.response.json"), result.body());
        assertEquals(Optional.of(new Usage(12, 100, 112, 0, 100)), result.usage());
        assertEquals("length", result.finishReason());
    }

    @Test
    void toolCallResponse() {
        ChatResult result = adapter.toResponse(parse(HELLO + "}"), fixture("chat-tools.response.json"), TARGET);
        assertEquals(Optional.of(new Usage(162, 287, 449, 0, 256)), result.usage());
        assertEquals("tool_calls", result.finishReason());
    }

    @Test
    void azureResponse() {
        ChatResult result = adapter.toResponse(parse(HELLO + "}"), fixture("azure-chat-basic.response.json"), TARGET);
        assertArrayEquals(fixture("azure-chat-basic.response.json"), result.body());
        assertEquals(Optional.of(new Usage(8, 271, 279, 0, 192)), result.usage());
        assertEquals("stop", result.finishReason());
    }

    @Test
    void cachedTokensAreRead() {
        // hand-written: the recordings never report a non-zero cached_tokens
        byte[] body = ("{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                + "\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":2048,"
                + "\"completion_tokens\":12,\"total_tokens\":2060,\"prompt_tokens_details\":{\"cached_tokens\":1920},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":4}}}").getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.of(new Usage(2048, 12, 2060, 1920, 4)),
                adapter.toResponse(parse(HELLO + "}"), body, TARGET).usage());
    }

    @Test
    void aResponseWithoutUsageOrFinishReason() {
        ChatResult result = adapter.toResponse(parse(HELLO + "}"),
                "{\"choices\":[],\"usage\":null}".getBytes(StandardCharsets.UTF_8), TARGET);
        assertEquals(Optional.empty(), result.usage());
        assertEquals("", result.finishReason());
    }

    @Test
    void anErrorObjectInA200BecomesAnUpstreamException() {
        UpstreamException failure = assertThrows(UpstreamException.class, () -> adapter.toResponse(parse(HELLO + "}"),
                ("{\"error\":{\"message\":\"The server had an error while processing your request. Sorry about "
                        + "that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}")
                        .getBytes(StandardCharsets.UTF_8), TARGET));
        assertEquals(ErrorKind.SERVER, failure.kind());
        assertEquals(502, failure.status());
        assertEquals(ErrorType.UPSTREAM, failure.type());
        assertEquals("provider 'openai' failed: The server had an error while processing your request. Sorry about "
                + "that!", failure.getMessage());
        assertEquals(Optional.of("upstream_error"), failure.code());
        assertEquals(Optional.empty(), failure.param());
    }

    @Test
    void aClientErrorObjectInA200KeepsItsParam() {
        UpstreamException failure = assertThrows(UpstreamException.class, () -> adapter.toResponse(parse(HELLO + "}"),
                fixture("chat-bad-request.response.json"), TARGET));
        assertEquals(ErrorKind.BAD_REQUEST, failure.kind());
        assertEquals(400, failure.status());
        assertEquals(Optional.of("max_tokens"), failure.param());
        assertEquals(Optional.of("unsupported_parameter"), failure.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html><body>502 Bad Gateway</body></html>", "{\"choices\":[", "data: {}", ""})
    void aBodyThatIsNotJsonIsAProtocolError(String body) {
        UpstreamException failure = assertThrows(UpstreamException.class,
                () -> adapter.toResponse(parse(HELLO + "}"), body.getBytes(StandardCharsets.UTF_8), TARGET));
        assertEquals(ErrorKind.PROTOCOL, failure.kind());
        assertEquals(502, failure.status());
        assertEquals(Optional.of("upstream_protocol_error"), failure.code());
        assertTrue(failure.getMessage().startsWith("provider 'openai' answered with a body that is not"),
                failure.getMessage());
        assertFalse(failure.getMessage().contains("html"), failure.getMessage());
    }

    @Test
    void aJsonArrayIsAProtocolError() {
        UpstreamException failure = assertThrows(UpstreamException.class,
                () -> adapter.toResponse(parse(HELLO + "}"), "[{}]".getBytes(StandardCharsets.UTF_8), TARGET));
        assertEquals(ErrorKind.PROTOCOL, failure.kind());
        assertEquals("provider 'openai' answered with a body that is not a JSON object", failure.getMessage());
    }

    // ---- stream translator

    @Test
    void recordedStreamIsRelayedAsItCame() {
        List<SseEvent> upstream = events("chat-streaming.response.sse");
        StreamTranslator translator = adapter.newStreamTranslator(parse(HELLO + ",\"stream\":true}"), TARGET);

        List<SseEvent> relayed = translateAll(translator, upstream);

        assertEquals(upstream, relayed, "every event relayed unchanged and in order");
        assertEquals(RECORDED_TEXT, content(relayed));
        assertTrue(relayed.getLast().isDone());
        assertTrue(translator.finished());
        assertEquals(Optional.empty(), translator.usage(), "this recording carries no usage");
    }

    @Test
    void usageChunkIsKeptWhenTheClientAskedForIt() {
        List<SseEvent> upstream = events("chat-streaming-detailed-usage.response.sse");
        assertEquals(4, upstream.size());
        StreamTranslator translator = adapter.newStreamTranslator(
                ChatRequestParser.parse(fixture("chat-streaming-detailed-usage.request.json")), TARGET);

        List<SseEvent> relayed = translateAll(translator, upstream);

        assertEquals(upstream, relayed);
        assertEquals(Optional.of(new Usage(12, 100, 112, 0, 100)), translator.usage());
        assertTrue(translator.finished());
    }

    @Test
    void usageChunkIsHiddenWhenTheClientDidNotAsk() {
        List<SseEvent> upstream = events("chat-streaming-detailed-usage.response.sse");
        StreamTranslator translator = adapter.newStreamTranslator(parse(HELLO + ",\"stream\":true}"), TARGET);

        List<SseEvent> relayed = translateAll(translator, upstream);

        assertEquals(List.of(withoutUsage(upstream.get(0)), withoutUsage(upstream.get(1)), upstream.get(3)), relayed,
                "chunks lose the usage:null the client did not ask for, as OpenAI would send them");
        assertTrue(upstream.get(0).data().contains("\"usage\":null"), "the recording carries usage:null");
        assertTrue(tree(upstream.get(2).data()).path("choices").isEmpty(), "the hidden one is the usage-only chunk");
        assertEquals(Optional.of(new Usage(12, 100, 112, 0, 100)), translator.usage(), "usage is still captured");
        assertTrue(translator.finished());
    }

    @Test
    void usageOnAContentChunkIsStrippedWhenTheClientDidNotAsk() {
        // hand-written: vendors such as Mistral put usage on the last content chunk
        SseEvent last = new SseEvent("", "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"!\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,"
                + "\"completion_tokens\":3,\"total_tokens\":8}}", "9");
        StreamTranslator hidden = adapter.newStreamTranslator(parse(HELLO + ",\"stream\":true}"), TARGET);
        assertEquals(List.of(new SseEvent("", "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":"
                + "[{\"index\":0,\"delta\":{\"content\":\"!\"},\"finish_reason\":\"stop\"}]}", "9")), hidden.onEvent(last));
        assertEquals(Optional.of(new Usage(5, 3, 8, 0, 0)), hidden.usage());

        StreamTranslator kept = adapter.newStreamTranslator(parse(HELLO + ",\"stream\":true,\"stream_options\":"
                + "{\"include_usage\":true}}"), TARGET);
        assertEquals(List.of(last), kept.onEvent(last));
        assertEquals(Optional.of(new Usage(5, 3, 8, 0, 0)), kept.usage());
    }

    @Test
    void groqUsageIsCaptured() {
        SseEvent last = SseEvent.data("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"x_groq\":{\"id\":\"req_1\",\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,"
                + "\"total_tokens\":11}}}");
        StreamTranslator translator = adapter.newStreamTranslator(parse(HELLO + ",\"stream\":true,\"stream_options\":"
                + "{\"include_usage\":true}}"), TARGET);
        assertEquals(List.of(last), translator.onEvent(last));
        assertEquals(Optional.of(new Usage(9, 2, 11, 0, 0)), translator.usage());
    }

    @Test
    void doneEndsTheStream() {
        StreamTranslator translator = adapter.newStreamTranslator(parse(HELLO + ",\"stream\":true}"), TARGET);
        assertFalse(translator.finished());
        assertEquals(List.of(SseEvent.data("[DONE]")), translator.onEvent(SseEvent.data("[DONE]")));
        assertTrue(translator.finished());
        assertEquals(List.of(), translator.onEvent(SseEvent.data("{\"choices\":[]}")), "nothing after [DONE]");
        assertEquals(List.of(), translator.onEvent(SseEvent.data("not json")), "not even garbage");
    }

    @Test
    void anErrorEventThrows() {
        StreamTranslator translator = adapter.newStreamTranslator(parse(HELLO + ",\"stream\":true}"), TARGET);
        List<SseEvent> upstream = events("chat-streaming.response.sse");
        assertEquals(List.of(upstream.getFirst()), translator.onEvent(upstream.getFirst()));

        UpstreamException failure = assertThrows(UpstreamException.class, () -> translator.onEvent(SseEvent.data(
                "{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":"
                        + "\"server_error\",\"param\":null,\"code\":null}}")));
        assertEquals(ErrorKind.SERVER, failure.kind());
        assertEquals("provider 'openai' failed: The server had an error while processing your request.",
                failure.getMessage());
        assertFalse(translator.finished());

        UpstreamException rateLimited = assertThrows(UpstreamException.class, () -> adapter.newStreamTranslator(
                parse(HELLO + ",\"stream\":true}"), TARGET).onEvent(SseEvent.data("{\"error\":{\"message\":\"Rate "
                + "limit reached\",\"type\":\"rate_limit_error\",\"code\":\"rate_limit_exceeded\"}}")));
        assertEquals(ErrorKind.RATE_LIMITED, rateLimited.kind());
        assertEquals(429, rateLimited.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"choices\":[", "[1,2]", "\"text\"", "null", ""})
    void aDataEventThatIsNotAJsonObjectThrowsProtocol(String data) {
        StreamTranslator translator = adapter.newStreamTranslator(parse(HELLO + ",\"stream\":true}"), TARGET);
        UpstreamException failure = assertThrows(UpstreamException.class,
                () -> translator.onEvent(SseEvent.data(data)));
        assertEquals(ErrorKind.PROTOCOL, failure.kind());
        assertEquals(Optional.of("upstream_protocol_error"), failure.code());
        assertEquals("provider 'openai' sent a stream event that is not a JSON object", failure.getMessage());
    }

    // ---- classifyError

    @Test
    void recordedBadRequestKeepsParamAndCode() {
        UpstreamException failure = classify(400, Map.of("content-type", "application/json"),
                fixture("chat-bad-request.response.json"));
        assertEquals(ErrorKind.BAD_REQUEST, failure.kind());
        assertEquals(400, failure.status());
        assertEquals(400, failure.upstreamStatus());
        assertEquals(ErrorType.INVALID_REQUEST, failure.type());
        assertEquals("Unsupported parameter: 'max_tokens' is not supported with this model. Use "
                + "'max_completion_tokens' instead.", failure.getMessage());
        assertEquals(Optional.of("max_tokens"), failure.param());
        assertEquals(Optional.of("unsupported_parameter"), failure.code());
        assertEquals(Optional.empty(), failure.retryAfter());
    }

    @Test
    void recordedUnknownModel() {
        UpstreamException failure = classify(404, Map.of("content-type", "application/json; charset=utf-8"),
                fixture("chat-unknown-model.response.json"));
        assertEquals(ErrorKind.NOT_FOUND, failure.kind());
        assertEquals(404, failure.status());
        assertEquals(ErrorType.INVALID_REQUEST, failure.type());
        assertEquals("The model `gpt-4.1-nano-wrong` does not exist or you do not have access to it.",
                failure.getMessage());
        assertEquals(Optional.empty(), failure.param());
        assertEquals(Optional.of("model_not_found"), failure.code());
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void authFailures(int status) {
        UpstreamException failure = classify(status, Map.of("content-type", "application/json"), ("{\"error\":"
                + "{\"message\":\"Incorrect API key provided: sk-test***6789.\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":\"invalid_api_key\"}}").getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorKind.AUTH, failure.kind());
        assertEquals(502, failure.status(), "the gateway's credential is at fault, not the client's");
        assertEquals(status, failure.upstreamStatus());
        assertEquals(ErrorType.UPSTREAM, failure.type());
        assertEquals(Optional.of("upstream_auth_failed"), failure.code());
        assertEquals(Optional.empty(), failure.param());
        assertEquals("provider 'openai' failed: Incorrect API key provided: sk-test***6789.", failure.getMessage());
    }

    @Test
    void rateLimitedWithRetryAfter() {
        byte[] body = ("{\"error\":{\"message\":\"Rate limit reached for gpt-5-nano on requests per min (RPM): "
                + "Limit 500, Used 500, Requested 1.\",\"type\":\"requests\",\"param\":null,\"code\":"
                + "\"rate_limit_exceeded\"}}").getBytes(StandardCharsets.UTF_8);
        UpstreamException seconds = classify(429, Map.of("content-type", "application/json", "retry-after", "7"),
                body);
        assertEquals(ErrorKind.RATE_LIMITED, seconds.kind());
        assertEquals(429, seconds.status());
        assertEquals(ErrorType.RATE_LIMIT, seconds.type());
        assertEquals(Optional.of("upstream_rate_limited"), seconds.code());
        assertEquals(Optional.of(Duration.ofSeconds(7)), seconds.retryAfter());

        UpstreamException millis = classify(429, Map.of("retry-after-ms", "1500", "retry-after", "2"), body);
        assertEquals(ErrorKind.RATE_LIMITED, millis.kind());
        assertEquals(Optional.of(Duration.ofMillis(1500)), millis.retryAfter());

        UpstreamException date = classify(429, Map.of("retry-after", "Thu, 14 Aug 2025 02:19:43 GMT"), body);
        assertEquals(Optional.of(Duration.ofMinutes(1)), date.retryAfter(), "measured from the adapter's clock");

        assertEquals(Optional.empty(), classify(429, Map.of(), body).retryAfter());
    }

    @ParameterizedTest
    @ValueSource(ints = {503, 529})
    void overloaded(int status) {
        UpstreamException failure = classify(status, Map.of("content-type", "application/json", "retry-after", "1"),
                "{\"error\":{\"message\":\"Overloaded\",\"type\":\"overloaded_error\"}}"
                        .getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorKind.OVERLOADED, failure.kind());
        assertEquals(503, failure.status());
        assertEquals(status, failure.upstreamStatus());
        assertEquals(Optional.of("upstream_overloaded"), failure.code());
        assertEquals(Optional.of(Duration.ofSeconds(1)), failure.retryAfter());
        assertEquals("provider 'openai' failed: Overloaded", failure.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 504})
    void serverErrors(int status) {
        UpstreamException failure = classify(status, Map.of("content-type", "application/json"),
                ("{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":"
                        + "\"server_error\",\"param\":null,\"code\":null}}").getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorKind.SERVER, failure.kind());
        assertEquals(502, failure.status());
        assertEquals(status, failure.upstreamStatus());
        assertEquals(Optional.of("upstream_error"), failure.code());
        assertEquals("provider 'openai' failed: The server had an error while processing your request.",
                failure.getMessage());
    }

    @Test
    void contextLengthExceeded() {
        UpstreamException failure = classify(400, Map.of("content-type", "application/json"), ("{\"error\":"
                + "{\"message\":\"This model's maximum context length is 128000 tokens. However, your messages "
                + "resulted in 130046 tokens. Please reduce the length of the messages.\",\"type\":"
                + "\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorKind.CONTEXT_TOO_LONG, failure.kind());
        assertEquals(400, failure.status());
        assertEquals(Optional.of("messages"), failure.param());
        assertEquals(Optional.of("context_length_exceeded"), failure.code());
        assertTrue(failure.getMessage().startsWith("This model's maximum context length is 128000 tokens."));
    }

    @Test
    void contentFiltered() {
        UpstreamException failure = classify(400, Map.of("content-type", "application/json"), ("{\"error\":"
                + "{\"message\":\"The response was filtered due to the prompt triggering Azure OpenAI's content "
                + "management policy.\",\"type\":null,\"param\":\"prompt\",\"code\":\"content_filter\","
                + "\"status\":400}}").getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorKind.CONTENT_FILTERED, failure.kind());
        assertEquals(400, failure.status());
        assertEquals(ErrorType.INVALID_REQUEST, failure.type());
        assertEquals(Optional.of("prompt"), failure.param());
        assertEquals(Optional.of("content_filter"), failure.code());
    }

    @Test
    void anHtmlErrorPageNeverReachesTheMessage() {
        String nginx = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
                + "Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n";
        UpstreamException failure = classify(502, Map.of("content-type", "text/html"),
                nginx.getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorKind.SERVER, failure.kind());
        assertEquals(502, failure.status());
        assertEquals("provider 'openai' failed: upstream answered HTTP 502 with an HTML page", failure.getMessage());
        assertEquals(Optional.of("upstream_error"), failure.code());
    }

    @Test
    void aPlainTextErrorIsSummarised() {
        UpstreamException failure = classify(500, Map.of("content-type", "text/plain"),
                "Internal Server Error: NullPointerException at com.vendor.Secret".getBytes(StandardCharsets.UTF_8));
        assertEquals("provider 'openai' failed: upstream answered HTTP 500 with a non-JSON body",
                failure.getMessage());
        UpstreamException empty = classify(400, Map.of(), new byte[0]);
        assertEquals(ErrorKind.BAD_REQUEST, empty.kind());
        assertEquals("upstream answered HTTP 400 with a non-JSON body", empty.getMessage());
    }

    // ---- helpers

    private UpstreamException classify(int status, Map<String, String> headers, byte[] body) {
        return adapter.classifyError(TARGET, status, headers, body);
    }

    private static List<SseEvent> translateAll(StreamTranslator translator, List<SseEvent> upstream) {
        List<SseEvent> relayed = new ArrayList<>();
        for (SseEvent event : upstream) {
            relayed.addAll(translator.onEvent(event));
        }
        return relayed;
    }

    private static String content(List<SseEvent> events) {
        StringBuilder text = new StringBuilder();
        for (SseEvent event : events) {
            if (!event.isDone()) {
                text.append(tree(event.data()).path("choices").path(0).path("delta").path("content").asText(""));
            }
        }
        return text.toString();
    }

    static ProviderConfig provider(String id, String yaml) {
        Config config = Config.just(ConfigSources.create("providers:\n  " + id + ": " + yaml.replace("\n", "\n    "),
                MediaTypes.APPLICATION_X_YAML));
        return GatewayConfig.create(config).providers().get(id);
    }

    private static ChatRequest parse(String body) {
        return ChatRequestParser.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private static List<SseEvent> events(String name) {
        SseReader reader = new SseReader(new ByteArrayInputStream(fixture(name)), 1 << 20);
        List<SseEvent> events = new ArrayList<>();
        try {
            for (Optional<SseEvent> next = reader.next(); next.isPresent(); next = reader.next()) {
                events.add(next.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    private static JsonNode tree(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(String json) {
        return tree(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    static byte[] fixture(String name) {
        try (InputStream in = OpenAiAdapterTest.class.getResourceAsStream("/fixtures/openai/" + name)) {
            if (in == null) {
                throw new AssertionError("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
