package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import ai.higress.schema.Json;
import ai.higress.testing.Frame;
import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.OpenAiSchema;
import ai.higress.testing.RecordedRequest;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An OpenAI chat client in front of an Anthropic upstream, end to end over real sockets; the upstream answers with
 * the hand-written fixtures of {@code fixtures/anthropic}.
 */
class AnthropicUpstreamServerTest {
    private static final String ANTHROPIC_KEY = "sk-ant-upstream-secret-0123456789";
    private static final String BACKUP_KEY = "sk-backup-upstream-secret-0123456789";
    private static final String CHAT = "/v1/chat/completions";
    private static final String OVERLOADED = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
            + "\"message\":\"Overloaded\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}";

    private ScriptedUpstream anthropic;
    private ScriptedUpstream backup;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        anthropic = ScriptedUpstream.start();
        backup = ScriptedUpstream.start();
        gateway = TestGateway.start("""
                providers:
                  claude: {type: anthropic, base-url: "%s", api-key: "%s", models: [claude-sonnet-4-5]}
                  backup: {type: openai, base-url: "%s", api-key: "%s", models: [gpt-4o-mini]}
                models:
                  resilient:
                    strategy: priority
                    targets: [{provider: claude, model: claude-sonnet-4-5}, {provider: backup, model: gpt-4o-mini, priority: 1}]
                timeouts: {connect: PT1S, first-token: PT2S, idle: PT2S, request: PT5S, stream: PT10S}
                """.formatted(anthropic.baseUri(), ANTHROPIC_KEY, backup.baseUri(), BACKUP_KEY));
    }

    @AfterEach
    void stop() {
        gateway.close();
        anthropic.close();
        backup.close();
    }

    @Test
    void aCompletionIsTranslatedBothWays() {
        anthropic.enqueue(Step.json(200, fixture("response-text.anthropic.json")));
        HttpResponse<String> response = gateway.post(CHAT, """
                {"model":"claude-sonnet-4-5","messages":[{"role":"system","content":"Be brief."},
                 {"role":"user","content":"Hello"}],"temperature":0.5,"stop":["END"]}""");

        assertEquals(200, response.statusCode(), response.body());
        JsonNode completion = parse(response.body());
        OpenAiSchema.assertChatCompletion(completion);
        assertEquals("Hello! How can I help you today?",
                completion.path("choices").path(0).path("message").path("content").asText());
        assertEquals(22, completion.path("usage").path("total_tokens").asInt());
        assertEquals("claude", response.headers().firstValue("x-higress-provider").orElseThrow());

        RecordedRequest sent = anthropic.lastRequest();
        assertEquals("POST", sent.method());
        assertEquals("/v1/messages", sent.path());
        assertEquals(ANTHROPIC_KEY, sent.header("x-api-key").orElseThrow());
        assertEquals("2023-06-01", sent.header("anthropic-version").orElseThrow());
        assertTrue(sent.header("authorization").isEmpty(), "the credential goes in x-api-key only");
        sent.headers().forEach((name, values) -> values.forEach(value -> assertFalse(
                value.contains(TestGateway.KEY), "client key leaked upstream in header " + name)));
        assertEquals(parse("""
                {"model":"claude-sonnet-4-5","max_tokens":4096,"system":"Be brief.",
                 "messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}],
                 "temperature":0.5,"stop_sequences":["END"]}"""), sent.json());
    }

    @Test
    void aParameterAnthropicCannotCarryGoesToTheTargetThatCanWithoutAnAttemptOnClaude() {
        backup.enqueue(Step.json(200, OpenAiChunks.completion("gpt-4o-mini", "with logprobs", 3, 2)));
        HttpResponse<String> response = gateway.post(CHAT, """
                {"model":"resilient","logprobs":true,"messages":[{"role":"user","content":"Hello"}]}""");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("backup", response.headers().firstValue("x-higress-provider").orElseThrow());
        assertEquals("1", response.headers().firstValue("x-higress-attempts").orElseThrow(),
                "the refusing target is dropped from the plan, not tried and failed");
        assertEquals(0, anthropic.callCount());
    }

    @Test
    void aParameterNoTargetCanCarryIsRefusedByTheFirstRefusal() {
        HttpResponse<String> response = gateway.post(CHAT, """
                {"model":"claude-sonnet-4-5","logprobs":true,"messages":[{"role":"user","content":"Hello"}]}""");

        assertEquals(400, response.statusCode(), response.body());
        JsonNode error = parse(response.body()).path("error");
        assertEquals("logprobs", error.path("param").asText(), response.body());
        assertEquals(0, anthropic.callCount());
        assertEquals(0, backup.callCount());
    }

    @Test
    void toolCallsAndToolResultsRoundTrip() {
        anthropic.enqueue(Step.json(200, fixture("response-tool-use.anthropic.json")));
        JsonNode request = parse(fixture("request-parallel-tools.openai.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) request).put("model", "claude-sonnet-4-5")
                .put("stream", false).remove("stream_options");
        HttpResponse<String> response = gateway.post(CHAT, Json.text(request));

        assertEquals(200, response.statusCode(), response.body());
        JsonNode completion = parse(response.body());
        OpenAiSchema.assertChatCompletion(completion);
        assertEquals("tool_calls", completion.path("choices").path(0).path("finish_reason").asText());
        JsonNode calls = completion.path("choices").path(0).path("message").path("tool_calls");
        assertEquals(2, calls.size());
        assertEquals("{\"city\":\"Rome\"}", calls.path(1).path("function").path("arguments").asText());

        JsonNode expected = parse(fixture("request-parallel-tools.anthropic.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected).remove("stream");
        assertEquals(expected, anthropic.lastRequest().json());
    }

    @Test
    void aStreamIsTranslatedIntoOpenAiChunks() {
        anthropic.enqueue(Step.sse(frames("stream-tools.anthropic.sse", 61)));
        TestGateway.StreamedResponse stream = gateway.stream("""
                {"model":"claude-sonnet-4-5","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"Weather in Paris and Rome?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather"}}]}""");

        assertEquals(200, stream.status(), stream.body());
        List<String> data = stream.data();
        assertEquals("[DONE]", data.getLast());
        StringBuilder[] arguments = {new StringBuilder(), new StringBuilder()};
        for (String chunk : data.subList(0, data.size() - 1)) {
            JsonNode node = parse(chunk);
            OpenAiSchema.assertChatChunk(node);
            for (JsonNode call : node.path("choices").path(0).path("delta").path("tool_calls")) {
                arguments[call.path("index").asInt()].append(call.path("function").path("arguments").asText());
            }
        }
        assertEquals("{\"city\": \"Paris\", \"unit\": \"celsius\"}", arguments[0].toString());
        assertEquals("{\"city\": \"Rome\"}", arguments[1].toString());
        JsonNode usage = parse(data.get(data.size() - 2));
        assertEquals(782, usage.path("usage").path("prompt_tokens").asInt());
        assertEquals("tool_calls", parse(data.get(data.size() - 3)).path("choices").path(0).path("finish_reason")
                .asText());
        assertTrue(anthropic.lastRequest().json().path("stream").asBoolean());
        assertEquals("text/event-stream", anthropic.lastRequest().header("accept").orElseThrow());
    }

    @Test
    void theOfficialOpenAiSdkReadsTranslatedAnswersAndStreams() {
        anthropic.enqueue(Step.json(200, fixture("response-thinking.anthropic.json")));
        anthropic.enqueue(Step.sse(frames("stream-tools.anthropic.sse", 97)));
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gateway.uri("/v1").toString())
                .apiKey(TestGateway.KEY).maxRetries(0).responseValidation(true).build();
        try {
            ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("claude-sonnet-4-5").addUserMessage("Is 1001 prime?")
                    .reasoningEffort(ReasoningEffort.LOW).build());
            assertEquals("No: 1001 = 7 × 11 × 13.", completion.choices().get(0).message().content().orElseThrow());
            assertEquals(350, completion.usage().orElseThrow().totalTokens());
            assertEquals(2048, anthropic.lastRequest().json().path("thinking").path("budget_tokens").asInt());

            Map<Long, StringBuilder> arguments = new TreeMap<>();
            List<String> names = new ArrayList<>();
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                    ChatCompletionCreateParams.builder().model("claude-sonnet-4-5").addUserMessage("Weather?")
                            .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                                    .name("get_weather").build()).build()).build())) {
                stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().toolCalls()
                        .orElse(List.of()).forEach(call -> {
                            call.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::name)
                                    .ifPresent(names::add);
                            arguments.computeIfAbsent(call.index(), index -> new StringBuilder()).append(call
                                    .function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::arguments)
                                    .orElse(""));
                        })));
            }
            assertEquals(List.of("get_weather", "get_weather"), names);
            assertEquals("{\"city\": \"Paris\", \"unit\": \"celsius\"}", arguments.get(0L).toString());
            assertEquals("{\"city\": \"Rome\"}", arguments.get(1L).toString());
        } finally {
            client.close();
        }
    }

    @Test
    void anOverloadedAnthropicFailsOverToTheNextProvider() {
        anthropic.enqueue(Step.json(529, OVERLOADED));
        backup.enqueue(Step.json(200, OpenAiChunks.completion("gpt-4o-mini", "From the backup", 5, 3)));
        HttpResponse<String> response = gateway.post(CHAT, """
                {"model":"resilient","messages":[{"role":"user","content":"Hi"}]}""");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("backup", response.headers().firstValue("x-higress-provider").orElseThrow());
        assertEquals("2", response.headers().firstValue("x-higress-attempts").orElseThrow());
        assertEquals(1, anthropic.callCount());
        assertEquals(1, backup.callCount());
        assertEquals("Bearer " + BACKUP_KEY, backup.lastRequest().header("authorization").orElseThrow());
    }

    @Test
    void anErrorEventBeforeAnyContentFailsOverToo() {
        anthropic.enqueue(Step.sse(frames("stream-error-early.anthropic.sse", 1000)));
        backup.enqueue(Step.sse(OpenAiChunks.streamOf("gpt-4o-mini", List.of("Hi"), false)));
        TestGateway.StreamedResponse stream = gateway.stream("""
                {"model":"resilient","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        assertEquals(200, stream.status(), stream.body());
        assertEquals("backup", stream.response().headers().firstValue("x-higress-provider").orElseThrow());
        assertEquals("[DONE]", stream.data().getLast());
        assertEquals(1, anthropic.callCount());
    }

    @Test
    void anErrorEventAfterContentEndsTheStreamWithAnErrorAndNoDone() {
        anthropic.enqueue(Step.sse(frames("stream-error-mid.anthropic.sse", 1000)));
        TestGateway.StreamedResponse stream = gateway.stream("""
                {"model":"resilient","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        assertEquals(200, stream.status());
        List<String> data = stream.data();
        assertEquals("Hel", parse(data.getFirst()).path("choices").path(0).path("delta").path("content").asText());
        data.subList(0, data.size() - 1).forEach(chunk -> OpenAiSchema.assertChatChunk(parse(chunk)));
        OpenAiSchema.assertError(parse(data.getLast()));
        JsonNode error = parse(data.getLast()).path("error");
        assertEquals("upstream_overloaded", error.path("code").asText(), stream.body());
        assertFalse(data.contains("[DONE]"));
        assertEquals(0, backup.callCount(), "no failover after the commit point");
    }

    @Test
    void anUnsupportedParameterIsRefusedWithoutCallingTheUpstream() {
        HttpResponse<String> response = gateway.post(CHAT, """
                {"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hi"}],"n":3}""");

        assertEquals(400, response.statusCode(), response.body());
        OpenAiSchema.assertError(parse(response.body()));
        JsonNode error = parse(response.body()).path("error");
        assertEquals("n", error.path("param").asText());
        assertEquals("unsupported_parameter", error.path("code").asText());
        assertEquals("invalid_request_error", error.path("type").asText());
        assertEquals(0, anthropic.callCount());
    }

    @Test
    void anthropicModelListsArePagedForTheCatalog() {
        try (ScriptedUpstream listing = ScriptedUpstream.start()) {
            listing.enqueue(Step.json(200, """
                    {"data":[{"type":"model","id":"claude-sonnet-4-5","display_name":"Claude Sonnet 4.5"},
                     {"type":"model","id":"claude-opus-4-1","display_name":"Claude Opus 4.1"}],
                     "has_more":true,"first_id":"claude-sonnet-4-5","last_id":"claude-opus-4-1"}"""));
            listing.enqueue(Step.json(200, """
                    {"data":[{"type":"model","id":"claude-haiku-4-5","display_name":"Claude Haiku 4.5"}],
                     "has_more":false,"first_id":"claude-haiku-4-5","last_id":"claude-haiku-4-5"}"""));
            try (TestGateway listed = TestGateway.start("""
                    providers:
                      claude: {type: anthropic, base-url: "%s", api-key: "%s"}
                    catalog: {discover: true, refresh-interval: PT1H}
                    """.formatted(listing.baseUri(), ANTHROPIC_KEY))) {
                assertTrue(listing.awaitCallCount(2, Duration.ofSeconds(10)), "both pages fetched");
                assertEquals("/v1/models?limit=1000", listing.requests().get(0).path());
                assertEquals("/v1/models?limit=1000&after_id=claude-opus-4-1", listing.requests().get(1).path());
                for (RecordedRequest page : listing.requests()) {
                    assertEquals(ANTHROPIC_KEY, page.header("x-api-key").orElseThrow());
                    assertEquals("2023-06-01", page.header("anthropic-version").orElseThrow());
                }
                List<String> ids = new ArrayList<>();
                awaitCatalog(listed, ids, 3);
                assertEquals(List.of("claude/claude-sonnet-4-5", "claude/claude-opus-4-1", "claude/claude-haiku-4-5"),
                        ids);
            }
        }
    }

    /** The catalog is published right after the last page is read; poll briefly for it. */
    private static void awaitCatalog(TestGateway gateway, List<String> ids, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            ids.clear();
            parse(gateway.get("/v1/models").body()).path("data").forEach(m -> ids.add(m.path("id").asText()));
            if (ids.size() >= expected || System.nanoTime() > deadline) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A fixture's SSE bytes cut into frames of {@code size} bytes, so events arrive split across chunks. */
    private static List<Frame> frames(String name, int size) {
        String text = fixture(name);
        List<Frame> frames = new ArrayList<>();
        for (int start = 0; start < text.length(); start += size) {
            frames.add(Frame.raw(text.substring(start, Math.min(text.length(), start + size))));
        }
        return frames;
    }

    private static String fixture(String name) {
        try (InputStream in = AnthropicUpstreamServerTest.class.getResourceAsStream("/fixtures/anthropic/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
