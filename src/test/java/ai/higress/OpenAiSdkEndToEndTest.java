package ai.higress;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import ai.higress.testing.Frame;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonMissing;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.SseException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.models.Model;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway as the official OpenAI Java SDK ({@code com.openai:openai-java}) sees it: a client pointed at
 * {@code /v1} of a running gateway whose zero-config {@code demo} provider (the built-in deterministic mock upstream,
 * with no pacing) answers. The SDK runs with {@code responseValidation(true)}, so every response must also satisfy
 * the SDK's own schema checks, and with retries off, so every error surfaces as the first answer's exception.
 */
class OpenAiSdkEndToEndTest {
    private static final String DEMO = """
            demo: {enabled: true, first-token-delay: PT0S, token-interval: PT0S}
            """;
    private static final String PROMPT = "Say hello";
    /** The demo provider's answer to {@link #PROMPT} (see {@code ai.higress.mock.Answer#text}). */
    private static final String REPLY = "Hello from the AI-Higress demo provider. You said: \"Say hello\"";
    /** The mock counts one prompt token per four characters of message text: ceil(9 / 4). */
    private static final long PROMPT_TOKENS = 3;
    /** One completion token per word: Hello|from|the|AI-Higress|demo|provider.|You|said:|"Say|hello" */
    private static final long COMPLETION_TOKENS = 10;

    private TestGateway gateway;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        gateway = TestGateway.start(DEMO);
        client = sdk(gateway, TestGateway.KEY);
    }

    @AfterEach
    void stop() {
        client.close();
        gateway.close();
    }

    // ------------------------------------------------------------------ 1. non-streaming chat

    @Test
    void chatCompletionThroughTheSdk() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("demo").addUserMessage(PROMPT)
                .putAdditionalHeader("x-request-id", "sdk-req-0001").build();

        try (HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params)) {
            assertEquals(200, raw.statusCode());
            assertEquals(List.of("demo"), raw.headers().values("x-higress-provider"));
            assertEquals(List.of("demo"), raw.headers().values("x-higress-model"));
            assertEquals(List.of("1"), raw.headers().values("x-higress-attempts"));
            assertEquals(List.of("sdk-req-0001"), raw.headers().values("x-request-id"));
            assertEquals("sdk-req-0001", raw.requestId().orElseThrow(), "the SDK's own request-id accessor");

            ChatCompletion completion = raw.parse();
            assertEquals("demo", completion.model());
            assertTrue(completion.id().startsWith("chatcmpl-"), completion.id());
            assertEquals(1, completion.choices().size());
            ChatCompletion.Choice choice = completion.choices().get(0);
            assertEquals(0, choice.index());
            assertEquals(REPLY, choice.message().content().orElseThrow());
            assertTrue(choice.message().toolCalls().isEmpty());
            assertEquals(ChatCompletion.Choice.FinishReason.STOP, choice.finishReason());
            CompletionUsage usage = completion.usage().orElseThrow();
            assertEquals(PROMPT_TOKENS, usage.promptTokens());
            assertEquals(COMPLETION_TOKENS, usage.completionTokens());
            assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens());
        }
    }

    @Test
    void gatewayGeneratesARequestIdWhenTheSdkSendsNone() {
        try (HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse()
                .create(chat(PROMPT))) {
            String requestId = raw.requestId().orElseThrow();
            assertFalse(requestId.isBlank());
            assertEquals(List.of(requestId), raw.headers().values("x-request-id"));
            assertEquals(REPLY, raw.parse().choices().get(0).message().content().orElseThrow());
        }
    }

    // ------------------------------------------------------------------ 2./3. streaming

    @Test
    void streamingWithUsage() {
        ChatCompletionCreateParams params = chat(PROMPT).toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw = client.chat().completions().withRawResponse()
                .createStreaming(params); StreamResponse<ChatCompletionChunk> stream = raw.parse()) {
            assertEquals(200, raw.statusCode());
            assertEquals(List.of("demo"), raw.headers().values("x-higress-provider"));
            assertTrue(raw.requestId().isPresent());
            // Ends without an exception. (The SDK would also end quietly at a bare EOF without [DONE]; that the
            // gateway sends [DONE] is asserted on the wire by GatewayServerTest.)
            stream.stream().forEach(chunks::add);
        }

        assertEquals(REPLY, text(chunks));
        assertEquals(1 + COMPLETION_TOKENS + 1 + 1, chunks.size(), "role, one chunk per word, finish, usage");
        List<Integer> withUsage = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i).usage().isPresent()) {
                withUsage.add(i);
            }
        }
        assertEquals(List.of(chunks.size() - 1), withUsage, "exactly one chunk carries usage, the last one");
        ChatCompletionChunk last = chunks.getLast();
        assertTrue(last.choices().isEmpty(), "the usage chunk has no choices");
        CompletionUsage usage = last.usage().orElseThrow();
        assertEquals(PROMPT_TOKENS, usage.promptTokens());
        assertEquals(COMPLETION_TOKENS, usage.completionTokens());
        assertEquals(PROMPT_TOKENS + COMPLETION_TOKENS, usage.totalTokens());
        assertEquals(ChatCompletionChunk.Choice.FinishReason.STOP, finishReasons(chunks).getLast());
        assertEquals(1, finishReasons(chunks).size());
        chunks.forEach(chunk -> assertEquals("demo", chunk.model()));
        assertEquals(1, chunks.stream().map(ChatCompletionChunk::id).distinct().count(), "one id per stream");
    }

    @Test
    void streamingWithoutUsage() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat(PROMPT))) {
            stream.stream().forEach(chunks::add);
        }

        assertEquals(REPLY, text(chunks));
        assertEquals(1 + COMPLETION_TOKENS + 1, chunks.size(), "role, one chunk per word, finish");
        // The gateway always asks the upstream for usage and hides the usage chunk; the "usage": null the upstream
        // then puts on every content chunk passes through, which the SDK reads as absent.
        chunks.forEach(chunk -> assertTrue(chunk.usage().isEmpty(), "usage on " + chunk));
        chunks.forEach(chunk -> assertFalse(chunk.choices().isEmpty(), "no usage-only chunk: " + chunk));
        assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.STOP), finishReasons(chunks));
    }

    // ------------------------------------------------------------------ 4. models

    @Test
    void modelsListRetrieveAndNotFound() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertTrue(ids.contains("demo"), ids.toString());
        List<String> autoPaged = new ArrayList<>();
        client.models().list().autoPager().forEach(model -> autoPaged.add(model.id()));
        assertEquals(ids, autoPaged);

        Model demo = client.models().retrieve("demo");
        assertEquals("demo", demo.id());
        assertTrue(demo.created() > 0);
        assertFalse(demo.ownedBy().isBlank());
        // The SDK percent-encodes the path segment (GET /v1/models/demo%2Fdemo); the gateway decodes it.
        assertTrue(ids.contains("demo/demo"), ids.toString());
        assertEquals("demo/demo", client.models().retrieve("demo/demo").id());

        NotFoundException notFound = assertThrows(NotFoundException.class,
                () -> client.models().retrieve("no-such-model"));
        assertEquals(404, notFound.statusCode());
        assertEquals("model_not_found", notFound.code().orElseThrow());
        assertEquals("model", notFound.param().orElseThrow());
        assertFalse(notFound.headers().values("x-request-id").isEmpty());
    }

    @Test
    void chatWithAnUnknownModelIsNotFound() {
        NotFoundException notFound = assertThrows(NotFoundException.class,
                () -> client.chat().completions().create(chat(PROMPT).toBuilder().model("no-such-model").build()));
        assertEquals(404, notFound.statusCode());
        assertEquals("model_not_found", notFound.code().orElseThrow());
        assertEquals("model", notFound.param().orElseThrow());

        NotFoundException streamed = assertThrows(NotFoundException.class, () -> client.chat().completions()
                .createStreaming(chat(PROMPT).toBuilder().model("no-such-model").build()).close());
        assertEquals("model_not_found", streamed.code().orElseThrow());
    }

    // ------------------------------------------------------------------ 5. errors

    @Test
    void wrongApiKeyIsUnauthorized() {
        OpenAIClient wrong = sdk(gateway, "sk-wrong-key-0123456789"); // close() but not AutoCloseable
        try {
            UnauthorizedException chat = assertThrows(UnauthorizedException.class,
                    () -> wrong.chat().completions().create(chat(PROMPT)));
            assertEquals(401, chat.statusCode());
            assertEquals("invalid_api_key", chat.code().orElseThrow());

            UnauthorizedException stream = assertThrows(UnauthorizedException.class,
                    () -> wrong.chat().completions().createStreaming(chat(PROMPT)).close(),
                    "an edge error on a streaming request is thrown by createStreaming itself");
            assertEquals(401, stream.statusCode());

            assertThrows(UnauthorizedException.class, () -> wrong.models().list());
        } finally {
            wrong.close();
        }
    }

    @Test
    void emptyMessagesIsABadRequestNamingTheParam() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("demo").messages(List.of())
                .build();
        BadRequestException bad = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(params));
        assertEquals(400, bad.statusCode());
        assertEquals("messages", bad.param().orElseThrow());
        assertEquals("empty_array", bad.code().orElseThrow());
        assertEquals("invalid_request_error", bad.type().orElseThrow());
    }

    @Test
    void mistypedParameterIsABadRequestNamingTheParam() {
        // The typed builder takes a double, but every field also accepts a raw JsonValue: a string temperature.
        ChatCompletionCreateParams params = chat(PROMPT).toBuilder().temperature(JsonValue.from("hot")).build();
        BadRequestException bad = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(params));
        assertEquals("temperature", bad.param().orElseThrow());
        assertEquals("invalid_type", bad.code().orElseThrow());

        // A required field left out: JsonMissing satisfies the builder's required-field check but is not serialised.
        ChatCompletionCreateParams noMessages = ChatCompletionCreateParams.builder().model("demo")
                .messages(JsonMissing.of()).build();
        BadRequestException missing = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(noMessages));
        assertEquals("messages", missing.param().orElseThrow());
        assertEquals("missing_required_parameter", missing.code().orElseThrow());
    }

    @Test
    void upstreamFailureAfterTheCommitPointFailsTheSdkStream() {
        try (ScriptedUpstream upstream = ScriptedUpstream.start();
             TestGateway scripted = TestGateway.start("""
                     providers:
                       s: {type: openai, base-url: "%s", api-key: "sk-upstream-secret-value", models: [m-s]}
                     models:
                       one: {targets: [{provider: s, model: m-s}]}
                     """.formatted(upstream.baseUri()))) {
            upstream.enqueue(Step.sse(List.of(Frame.data(OpenAiChunks.roleChunk("m-s")),
                    Frame.data(OpenAiChunks.chunk("m-s", "Hel")), Frame.truncate())));
            OpenAIClient sdk = sdk(scripted, TestGateway.KEY);

            StringBuilder received = new StringBuilder();
            SseException failure;
            try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions()
                    .createStreaming(chat(PROMPT).toBuilder().model("one").build())) {
                Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
                // The gateway has committed (200, two chunks relayed) when the upstream breaks off, so it ends the
                // stream with an SSE event {"error":{...}} and no [DONE]. The SDK's SseHandler turns any event with
                // an "error" member into com.openai.errors.SseException (an OpenAIServiceException, not an
                // OpenAIIoException) thrown from the iterator's hasNext()/next(); its statusCode() is the HTTP
                // status of the stream, 200, and code()/type()/param() come from the error object. Without that
                // event the SDK would end the stream quietly at EOF, as if it were complete.
                failure = assertThrows(SseException.class, () -> {
                    while (chunks.hasNext()) {
                        chunks.next().choices().forEach(c -> c.delta().content().ifPresent(received::append));
                    }
                });
            } finally {
                sdk.close();
            }
            assertEquals("Hel", received.toString(), "the chunks before the failure were delivered");
            assertEquals(200, failure.statusCode());
            assertEquals("upstream_error", failure.type().orElseThrow());
            assertEquals("upstream_connection_lost", failure.code().orElseThrow());
            assertTrue(failure.param().isEmpty());
            assertEquals("200: the stream from provider 's' broke off", failure.getMessage());
            assertEquals(1, upstream.callCount(), "no retry after the commit point");
        }
    }

    // ------------------------------------------------------------------ 6. tool calls

    @Test
    void forcedToolCallNonStreaming() {
        ChatCompletion completion = client.chat().completions().create(toolCall("What is the weather in Paris?"));

        ChatCompletion.Choice choice = completion.choices().get(0);
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, choice.finishReason());
        assertTrue(choice.message().content().isEmpty());
        List<ChatCompletionMessageToolCall> calls = choice.message().toolCalls().orElseThrow();
        assertEquals(1, calls.size());
        ChatCompletionMessageFunctionToolCall call = calls.get(0).asFunction();
        assertEquals("call_mock_1", call.id(), "the demo provider numbers its calls per request");
        assertEquals("get_weather", call.function().name());
        assertEquals("{\"input\":\"What is the weather in Paris?\"}", call.function().arguments());
    }

    @Test
    void forcedToolCallStreaming() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(toolCall("What is the weather in \"Paris\"?"))) {
            stream.stream().forEach(chunks::add);
        }

        Map<Long, StringBuilder> arguments = new TreeMap<>();
        List<String> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int argumentDeltas = 0;
        for (ChatCompletionChunk chunk : chunks) {
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                for (ChatCompletionChunk.Choice.Delta.ToolCall call : choice.delta().toolCalls().orElse(List.of())) {
                    call.id().ifPresent(ids::add);
                    call.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::name)
                            .ifPresent(names::add);
                    String fragment = call.function()
                            .flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::arguments).orElse("");
                    if (!fragment.isEmpty()) {
                        argumentDeltas++;
                    }
                    arguments.computeIfAbsent(call.index(), index -> new StringBuilder()).append(fragment);
                }
            }
        }
        assertEquals(List.of(0L), List.copyOf(arguments.keySet()), "a single tool call, index 0");
        assertEquals(List.of("call_mock_1"), ids, "the id arrives once, on the first delta");
        assertEquals(List.of("get_weather"), names, "the name arrives once, on the first delta");
        assertEquals("{\"input\":\"What is the weather in \\\"Paris\\\"?\"}", arguments.get(0L).toString());
        assertTrue(argumentDeltas > 1, "the arguments really were streamed in fragments: " + argumentDeltas);
        assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS), finishReasons(chunks));
    }

    // ------------------------------------------------------------------ helpers

    private static OpenAIClient sdk(TestGateway gateway, String key) {
        return OpenAIOkHttpClient.builder().baseUrl(gateway.uri("/v1").toString()).apiKey(key).maxRetries(0)
                .responseValidation(true).build();
    }

    private static ChatCompletionCreateParams chat(String prompt) {
        return ChatCompletionCreateParams.builder().model("demo").addUserMessage(prompt).build();
    }

    private static ChatCompletionCreateParams toolCall(String prompt) {
        FunctionDefinition weather = FunctionDefinition.builder().name("get_weather")
                .description("Current weather for a place")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(
                                Map.of("input", Map.of("type", "string"))))
                        .build())
                .build();
        return chat(prompt).toBuilder()
                .addTool(ChatCompletionFunctionTool.builder().function(weather).build())
                .toolChoice(ChatCompletionNamedToolChoice.builder()
                        .function(ChatCompletionNamedToolChoice.Function.builder().name("get_weather").build())
                        .build())
                .build();
    }

    private static String text(List<ChatCompletionChunk> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
        return text.toString();
    }

    private static List<ChatCompletionChunk.Choice.FinishReason> finishReasons(List<ChatCompletionChunk> chunks) {
        return chunks.stream().flatMap(chunk -> chunk.choices().stream())
                .flatMap(choice -> choice.finishReason().stream()).toList();
    }
}
