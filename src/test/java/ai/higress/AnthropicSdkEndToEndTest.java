package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.higress.testing.Frame;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.SseException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceTool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway as the official Anthropic Java SDK ({@code com.anthropic:anthropic-java}) sees it: a client pointed at a
 * running gateway whose only upstream speaks OpenAI chat (a scripted upstream on a real socket). The SDK validates
 * every response against its own models and runs without retries, so each error surfaces as the first answer's
 * typed exception.
 */
class AnthropicSdkEndToEndTest {
    private ScriptedUpstream upstream;
    private TestGateway gateway;
    private AnthropicClient client;

    @BeforeEach
    void start() {
        upstream = ScriptedUpstream.start();
        gateway = TestGateway.start("""
                providers:
                  a: {type: openai, base-url: "%s", api-key: "sk-upstream-secret-value", models: [m-a]}
                models:
                  one: {targets: [{provider: a, model: m-a}]}
                """.formatted(upstream.baseUri()));
        client = sdk(TestGateway.KEY);
    }

    @AfterEach
    void stop() {
        client.close();
        gateway.close();
        upstream.close();
    }

    @Test
    void messagesCreate() {
        upstream.enqueue(Step.json(200, OpenAiChunks.completion("m-a", "Hello from OpenAI", 7, 4)));

        try (HttpResponseFor<Message> raw = client.messages().withRawResponse().create(params("Hi").build())) {
            assertEquals(200, raw.statusCode());
            assertEquals(List.of("a"), raw.headers().values("x-higress-provider"));
            assertEquals(raw.headers().values("x-request-id"), raw.headers().values("request-id"),
                    "the SDK reads its request id from request-id");
            Message message = raw.parse();
            assertEquals("msg_scripted0001", message.id());
            assertEquals("m-a", message.model().asString());
            assertEquals("Hello from OpenAI", message.content().get(0).asText().text());
            assertEquals(StopReason.END_TURN, message.stopReason().orElseThrow());
            assertEquals(7, message.usage().inputTokens());
            assertEquals(4, message.usage().outputTokens());
        }
        JsonNode sent = upstream.lastRequest().json();
        assertEquals("user", sent.path("messages").get(0).path("role").asText());
        assertEquals(100, sent.path("max_completion_tokens").asInt());
    }

    @Test
    void streamingIsRebuiltByTheSdksAccumulator() {
        upstream.enqueue(Step.sse(OpenAiChunks.streamOf("m-a", List.of("Hel", "lo", " world"), 12, 3)));

        MessageAccumulator accumulator = MessageAccumulator.create();
        List<RawMessageStreamEvent> events = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params("Hi").build())) {
            stream.stream().forEach(event -> events.add(accumulator.accumulate(event)));
        }

        Message message = accumulator.message();
        assertEquals("Hello world", message.content().get(0).asText().text());
        assertEquals(1, message.content().size());
        assertEquals(StopReason.END_TURN, message.stopReason().orElseThrow());
        assertEquals(12, message.usage().inputTokens(), "input tokens arrive in message_delta");
        assertEquals(3, message.usage().outputTokens());
        assertTrue(events.getFirst().isMessageStart());
        assertTrue(events.getLast().isMessageStop());
    }

    @Test
    void toolUseStreamedThenAnsweredWithAToolResult() {
        upstream.enqueue(Step.sse(List.of(
                Frame.data(OpenAiChunks.roleChunk("m-a")),
                Frame.data(toolChunk("{\"index\":0,\"id\":\"call_w1\",\"type\":\"function\",\"function\":"
                        + "{\"name\":\"get_weather\",\"arguments\":\"\"}}")),
                Frame.data(toolChunk("{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}")),
                Frame.data(toolChunk("{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}")),
                Frame.data(OpenAiChunks.finishChunk("m-a", "tool_calls")),
                Frame.data(OpenAiChunks.usageChunk("m-a", 30, 8)), Frame.done())));
        MessageCreateParams first = params("Weather in Paris?").addTool(weatherTool()).build();

        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(first)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message asked = accumulator.message();
        assertEquals(StopReason.TOOL_USE, asked.stopReason().orElseThrow());
        ToolUseBlock call = asked.content().get(0).asToolUse();
        assertEquals("call_w1", call.id());
        assertEquals("get_weather", call.name());
        assertEquals(JsonValue.from(Map.of("city", "Paris")), call._input());

        upstream.enqueue(Step.json(200, OpenAiChunks.completion("m-a", "It is 18 degrees in Paris.", 50, 9)));
        Message answered = client.messages().create(first.toBuilder().addMessage(asked)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId(call.id()).content("18C").build())))
                .build());

        assertEquals("It is 18 degrees in Paris.", answered.content().get(0).asText().text());
        JsonNode messages = upstream.lastRequest().json().path("messages");
        assertEquals("get_weather", messages.get(1).path("tool_calls").get(0).path("function").path("name").asText());
        assertEquals("{\"city\":\"Paris\"}", messages.get(1).path("tool_calls").get(0).path("function")
                .path("arguments").asText());
        assertEquals("tool", messages.get(2).path("role").asText());
        assertEquals("call_w1", messages.get(2).path("tool_call_id").asText());
        assertEquals("18C", messages.get(2).path("content").asText());
    }

    @Test
    void countTokens() {
        long tokens = client.messages().countTokens(MessageCountTokensParams.builder().model("one")
                .addUserMessage("Hello, how are you?").addTool(weatherTool()).build()).inputTokens();
        assertTrue(tokens > 0, "an estimate: " + tokens);
        assertEquals(0, upstream.callCount());
    }

    @Test
    void errorsAreTheSdksTypedExceptions() {
        AnthropicClient wrong = sdk("sk-wrong-key-0123456789"); // close() but not AutoCloseable
        try {
            UnauthorizedException unauthorized = assertThrows(UnauthorizedException.class,
                    () -> wrong.messages().create(params("Hi").build()));
            assertEquals(ErrorType.AUTHENTICATION_ERROR, unauthorized.errorType().orElseThrow());
        } finally {
            wrong.close();
        }
        NotFoundException notFound = assertThrows(NotFoundException.class,
                () -> client.messages().create(params("Hi").model("no-such-model").build()));
        assertEquals(ErrorType.NOT_FOUND_ERROR, notFound.errorType().orElseThrow());

        BadRequestException bad = assertThrows(BadRequestException.class, () -> client.messages().create(
                params("Hi").addTool(Tool.builder().name("").inputSchema(weatherTool().inputSchema()).build())
                        .build()));
        assertEquals("tools.0.name: String should have at least 1 character", bad.apiMessage().orElseThrow());

        upstream.enqueue(Step.json(503, OpenAiChunks.errorEnvelope("busy", "server_error", null)));
        upstream.enqueue(Step.json(503, OpenAiChunks.errorEnvelope("busy", "server_error", null)));
        upstream.enqueue(Step.json(503, OpenAiChunks.errorEnvelope("busy", "server_error", null)));
        OverloadedException overloaded = assertThrows(OverloadedException.class,
                () -> client.messages().create(params("Hi").build()));
        assertEquals(529, overloaded.statusCode());
        assertEquals(ErrorType.OVERLOADED_ERROR, overloaded.errorType().orElseThrow());
    }

    @Test
    void aStreamBrokenAfterTheCommitPointFailsTheSdkStream() {
        upstream.enqueue(Step.sse(List.of(Frame.data(OpenAiChunks.roleChunk("m-a")),
                Frame.data(OpenAiChunks.chunk("m-a", "Hel")), Frame.truncate())));

        StringBuilder text = new StringBuilder();
        SseException failure;
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params("Hi").build())) {
            failure = assertThrows(SseException.class, () -> stream.stream().forEach(event ->
                    event.contentBlockDelta().flatMap(delta -> delta.delta().text())
                            .ifPresent(delta -> text.append(delta.text()))));
        }
        assertEquals("Hel", text.toString(), "what came before the failure was delivered");
        assertEquals(ErrorType.API_ERROR, failure.errorType().orElseThrow());
        assertEquals("the stream from provider 'a' broke off", failure.apiMessage().orElseThrow());
        assertEquals(1, upstream.callCount(), "no retry after the commit point");
    }

    @Test
    void theDemoProviderAnswersTextAndAStreamedForcedToolCall() {
        String config = "demo: {enabled: true, first-token-delay: PT0S, token-interval: PT0S}";
        try (TestGateway demo = TestGateway.start(config)) {
            AnthropicClient sdk = AnthropicOkHttpClient.builder().baseUrl(demo.uri("").toString())
                    .apiKey(TestGateway.KEY).maxRetries(0).responseValidation(true).build();
            try {
                Message text = sdk.messages().create(params("Say hello").model("demo").build());
                assertEquals("Hello from the AI-Higress demo provider. You said: \"Say hello\"",
                        text.content().get(0).asText().text());

                MessageAccumulator accumulator = MessageAccumulator.create();
                try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(
                        params("What is the weather in Paris?").model("demo").addTool(weatherTool())
                                .toolChoice(ToolChoiceTool.builder().name("get_weather").build()).build())) {
                    stream.stream().forEach(accumulator::accumulate);
                }
                Message called = accumulator.message();
                assertEquals(StopReason.TOOL_USE, called.stopReason().orElseThrow());
                ToolUseBlock call = called.content().get(0).asToolUse();
                assertEquals("get_weather", call.name());
                assertEquals(JsonValue.from(Map.of("input", "What is the weather in Paris?")), call._input(),
                        "the mock streams the arguments in fragments; the SDK joins them");
            } finally {
                sdk.close();
            }
        }
    }

    // ---- helpers

    private AnthropicClient sdk(String key) {
        return AnthropicOkHttpClient.builder().baseUrl(gateway.uri("").toString()).apiKey(key).maxRetries(0)
                .responseValidation(true).build();
    }

    private static MessageCreateParams.Builder params(String prompt) {
        return MessageCreateParams.builder().model("one").maxTokens(100).addUserMessage(prompt);
    }

    private static Tool weatherTool() {
        return Tool.builder().name("get_weather").description("Current weather for a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder().additionalProperties(
                                Map.of("city", JsonValue.from(Map.of("type", "string")))).build())
                        .addRequired("city").build())
                .build();
    }

    private static String toolChunk(String call) {
        return "{\"id\":\"" + OpenAiChunks.ID + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":"
                + "\"m-a\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[" + call + "]},"
                + "\"finish_reason\":null}]}";
    }
}
