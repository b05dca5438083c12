package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.higress.testing.Frame;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK, with its response validation on, in front of a Gemini upstream (scripted from
 * fixtures/gemini): what the Gemini adapter produces must be what the SDK accepts.
 */
class GeminiSdkTest {
    private ScriptedUpstream gemini;
    private TestGateway gateway;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        gemini = ScriptedUpstream.start();
        gateway = TestGateway.start("""
                providers:
                  gem: {type: gemini, base-url: "http://127.0.0.1:%d/v1beta", api-key: "AIzaSy-sdk-test-key",
                        models: [gemini-2.5-flash]}
                """.formatted(gemini.port()));
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.uri("/v1").toString()).apiKey(TestGateway.KEY)
                .maxRetries(0).responseValidation(true).build();
    }

    @AfterEach
    void stop() {
        client.close();
        gateway.close();
        gemini.close();
    }

    @Test
    void toolCallsParseWithValidation() {
        gemini.enqueue(Step.json(200, fixture("response-function-calls.gemini.json")));
        FunctionDefinition weather = FunctionDefinition.builder().name("get_weather")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build();

        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gemini-2.5-flash").addUserMessage("Weather in Paris and Rome?")
                .addTool(ChatCompletionFunctionTool.builder().function(weather).build()).build());

        ChatCompletion.Choice choice = completion.choices().get(0);
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, choice.finishReason());
        List<ChatCompletionMessageFunctionToolCall> calls = choice.message().toolCalls().orElseThrow().stream()
                .map(call -> call.asFunction()).toList();
        assertEquals(List.of("get_weather", "get_weather"), calls.stream().map(call -> call.function().name())
                .toList());
        assertEquals("{\"city\":\"Rome\",\"unit\":\"celsius\"}", calls.get(1).function().arguments());
        assertEquals(48, completion.usage().orElseThrow().completionTokensDetails().orElseThrow()
                .reasoningTokens().orElseThrow());
    }

    @Test
    void aStreamParsesWithValidation() {
        gemini.enqueue(Step.sse(List.of(Frame.raw(fixture("stream-text.gemini.sse")))));
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("gem/gemini-2.5-flash").addUserMessage("Why blue?")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }

        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
        assertEquals("The sky is blue because of Rayleigh scattering — ☀.", text.toString());
        assertEquals(17, chunks.getLast().usage().orElseThrow().totalTokens());
        assertTrue(chunks.stream().flatMap(chunk -> chunk.choices().stream())
                .anyMatch(choice -> choice.finishReason().isPresent()));
    }

    @Test
    void aRefusalIsTheSdksBadRequest() {
        BadRequestException failure = org.junit.jupiter.api.Assertions.assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                        .model("gemini-2.5-flash").addUserMessage("Hi").logprobs(true).build()));
        assertEquals(400, failure.statusCode());
        assertEquals(0, gemini.callCount());
    }

    private static String fixture(String name) {
        try (InputStream in = GeminiSdkTest.class.getResourceAsStream("/fixtures/gemini/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
