package ai.higress.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.config.GatewayConfig;
import ai.higress.config.ProviderConfig;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.ChatResult;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.provider.openai.OpenAiAdapter;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;
import ai.higress.stream.SseEvent;
import ai.higress.stream.SseWriter;
import ai.higress.testing.Fixtures;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OpenAI chat answers, as the OpenAI adapter reads them, translated for a Messages client: completions against the
 * expected message JSON, chunk streams against the exact expected event text (event names, indices, deltas). Inputs
 * are the recorded OpenAI fixtures ({@code fixtures/openai/}) and hand-written ones
 * ({@code fixtures/anthropic-ingress/}).
 */
class AnthropicMessagesCodecTest {
    private static final String DIR = "anthropic-ingress/";
    private static final Target TARGET = target();

    private final OpenAiAdapter adapter = new OpenAiAdapter(Clock.systemUTC());
    private final AnthropicMessagesCodec codec = new AnthropicMessagesCodec();

    // ---- complete answers

    @ParameterizedTest
    @CsvSource({"openai/chat-basic.response.json, recorded-basic",
            "openai/chat-tools.response.json, recorded-tools",
            "anthropic-ingress/reasoning-cached.completion.json, reasoning-cached",
            "anthropic-ingress/refusal.completion.json, refusal",
            "anthropic-ingress/content-filter.completion.json, content-filter",
            "anthropic-ingress/stop-sequence.completion.json, stop-sequence",
            "anthropic-ingress/parallel-tools.completion.json, parallel-tools"})
    void completionsBecomeMessages(String completion, String expected) {
        ChatRequest request = request(false);
        ChatResult upstream = adapter.toResponse(request, Fixtures.bytes(completion), TARGET);

        ChatResult translated = codec.fromChat(request, upstream);

        assertEquals(Fixtures.json(DIR + expected + ".message.json"), Fixtures.tree(translated.body()));
        assertEquals(WireProtocol.ANTHROPIC_MESSAGES, translated.protocol());
        assertEquals(upstream.usage(), translated.usage(), "metering keeps the canonical usage");
        assertEquals(upstream.finishReason(), translated.finishReason());
    }

    @Test
    void withoutAStopSequenceInTheRequestAStopIsAnEndTurn() {
        ChatRequest request = MessagesRequestParser.parse(("{\"model\":\"m\",\"max_tokens\":10,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8));
        ChatResult upstream = adapter.toResponse(request, Fixtures.bytes(DIR + "stop-sequence.completion.json"),
                TARGET);

        var message = Fixtures.tree(codec.fromChat(request, upstream).body());

        assertEquals("end_turn", message.get("stop_reason").asText());
        assertTrue(message.get("stop_sequence").isNull());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "[1,2]", "\"text\"", "42"})
    void toolArgumentsThatAreNotAnObjectAreAnUpstreamProtocolError(String arguments) {
        String completion = """
                {"id":"chatcmpl-x","model":"m","choices":[{"index":0,"finish_reason":"tool_calls","message":{
                 "role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                 "function":{"name":"lookup","arguments":%s}}]}}]}""".formatted(
                ai.higress.schema.Json.text(ai.higress.schema.Json.MAPPER.getNodeFactory().textNode(arguments)));
        ChatResult upstream = new ChatResult(completion.getBytes(StandardCharsets.UTF_8), Optional.empty(),
                "tool_calls");

        UpstreamException failure = assertThrows(UpstreamException.class,
                () -> codec.fromChat(request(false), upstream));

        assertEquals(ErrorKind.PROTOCOL, failure.kind(), "retryable on the next target, like any broken answer");
        assertEquals("the upstream's answer cannot be translated to the Messages API: the arguments of the call of "
                + "tool 'lookup' are not a JSON object", failure.getMessage());
    }

    @Test
    void emptyToolArgumentsAreAnEmptyInput() {
        String completion = "{\"id\":\"chatcmpl-x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"finish_reason\":"
                + "\"tool_calls\",\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":"
                + "\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"now\",\"arguments\":\"\"}}]}}]}";
        var message = Fixtures.tree(codec.fromChat(request(false), new ChatResult(
                completion.getBytes(StandardCharsets.UTF_8), Optional.empty(), "tool_calls")).body());
        assertEquals(Fixtures.tree("{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"now\",\"input\":{}}"),
                message.get("content").get(0));
        assertEquals(Fixtures.tree("{\"input_tokens\":0,\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":0,\"output_tokens\":0}"), message.get("usage"), "no usage reported");
    }

    @Test
    void promptCacheReadsAndWritesAreCountedApartFromTheInputTokens() {
        // an upstream reporting cache writes (the gateway's own Anthropic translation names them cache_write_tokens)
        String completion = "{\"id\":\"chatcmpl-x\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"}}]}";
        Usage usage = new Usage(100, 5, 105, 60, 0, 30);
        var message = Fixtures.tree(codec.fromChat(request(false), new ChatResult(
                completion.getBytes(StandardCharsets.UTF_8), Optional.of(usage), "stop")).body());
        assertEquals(Fixtures.tree("{\"input_tokens\":10,\"cache_creation_input_tokens\":30,"
                + "\"cache_read_input_tokens\":60,\"output_tokens\":5}"), message.get("usage"));
    }

    // ---- streams

    @ParameterizedTest
    @CsvSource({"openai/chat-streaming.response.sse, recorded-streaming",
            "openai/chat-streaming-detailed-usage.response.sse, recorded-detailed-usage",
            "anthropic-ingress/parallel-tools.chunks.sse, parallel-tools",
            "anthropic-ingress/interleaved-tools.chunks.sse, interleaved-tools",
            "anthropic-ingress/thinking.chunks.sse, thinking",
            "anthropic-ingress/stop-sequence.chunks.sse, stop-sequence"})
    void chunkStreamsBecomeMessagesEvents(String chunks, String expected) {
        StreamTranslator translator = translator(request(true));
        List<SseEvent> out = new ArrayList<>();
        for (SseEvent event : Fixtures.events(chunks)) {
            out.addAll(translator.onEvent(event));
        }

        assertEquals(Fixtures.text(DIR + expected + ".events.sse"), write(out));
        assertTrue(translator.finished());
        assertEquals(WireProtocol.ANTHROPIC_MESSAGES, translator.protocol());
        assertTrue(translator.onEvent(SseEvent.data("[DONE]")).isEmpty(), "nothing after message_stop");
    }

    @Test
    void theFirstChunkAloneStartsTheMessageSoTheStreamCanCommit() {
        StreamTranslator translator = translator(request(true));
        List<SseEvent> first = translator.onEvent(Fixtures.events(DIR + "parallel-tools.chunks.sse").get(0));
        assertEquals(List.of("message_start"), first.stream().map(SseEvent::event).toList());
    }

    /** Azure's first chunk: no choices, no id, an empty model, only its prompt filter results. */
    static final String AZURE_OPENING = "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
            + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}";

    static String chunk(String model, String delta) {
        return "{\"id\":\"chatcmpl-az1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}";
    }

    private static String startedModel(List<SseEvent> events) {
        SseEvent start = events.stream().filter(event -> event.event().equals("message_start")).findFirst()
                .orElseThrow(() -> new AssertionError("no message_start in " + events));
        return Fixtures.tree(start.data()).at("/message/model").asText();
    }

    @Test
    void anOpeningChunkThatNamesNoModelWaitsForTheFirstOneThatDoes() {
        StreamTranslator translator = translator(request(true));
        assertEquals(List.of(), translator.onEvent(SseEvent.data(AZURE_OPENING)));
        List<SseEvent> next = translator.onEvent(SseEvent.data(chunk("gpt-4o-2024-11-20",
                "{\"role\":\"assistant\",\"content\":\"\"}")));
        assertEquals("gpt-4o-2024-11-20", startedModel(next));
        assertTrue(Fixtures.tree(next.getFirst().data()).at("/message/id").asText().endsWith("az1"), next.toString());
    }

    @Test
    void aStreamThatNeverNamesItsModelReportsTheTargetsModel() {
        StreamTranslator translator = translator(request(true));
        assertEquals(List.of(), translator.onEvent(SseEvent.data(AZURE_OPENING)));
        List<SseEvent> out = new ArrayList<>(translator.onEvent(SseEvent.data(chunk("", "{\"content\":\"Hi\"}"))));
        assertEquals(TARGET.upstreamModel(), startedModel(out));
        // and a stream that ends before any chunk named anything still starts with it
        StreamTranslator empty = translator(request(true));
        empty.onEvent(SseEvent.data(AZURE_OPENING));
        assertEquals(TARGET.upstreamModel(), startedModel(empty.onEvent(SseEvent.data("[DONE]"))));
    }

    @Test
    void usageIsTheUpstreamsForMetering() {
        StreamTranslator translator = translator(request(true));
        Fixtures.events(DIR + "parallel-tools.chunks.sse").forEach(translator::onEvent);
        assertEquals(Optional.of(new Usage(80, 40, 120, 64, 0)), translator.usage());
    }

    @Test
    void aFailureAfterTheCommitPointBecomesAnErrorEvent() {
        StreamTranslator translator = translator(request(true));
        List<SseEvent> out = new ArrayList<>();
        for (SseEvent event : Fixtures.events("openai/chat-streaming.response.sse").subList(0, 3)) {
            out.addAll(translator.onEvent(event));
        }
        out.add(translator.errorEvent(UpstreamException.connectionLost("the stream from provider 'p' broke off")));

        String written = write(out);
        assertTrue(written.endsWith("""
                event: error
                data: {"type":"error","error":{"type":"api_error","message":"the stream from provider 'p' broke off"}}

                """), written);
        assertTrue(written.contains("\"text\":\"Hi\""), "what came before the failure was delivered");
    }

    @ParameterizedTest
    @CsvSource({"OVERLOADED, overloaded_error", "RATE_LIMITED, rate_limit_error", "TIMEOUT, timeout_error",
            "SERVER, api_error", "AUTH, api_error", "NETWORK, api_error", "PROTOCOL, api_error",
            "BAD_REQUEST, invalid_request_error", "CONTEXT_TOO_LONG, invalid_request_error",
            "CONTENT_FILTERED, invalid_request_error", "NOT_FOUND, not_found_error"})
    void errorEventsUseAnthropicsErrorTypes(ErrorKind kind, String type) {
        SseEvent event = translator(request(true)).errorEvent(UpstreamException.transport(kind, "failed"));
        assertEquals("error", event.event());
        assertEquals(Fixtures.tree("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"failed\"}}"),
                Fixtures.tree(event.data()));
    }

    @Test
    void aCallInterleavedWithAnotherThatNeverCompletesGetsItsBlockAtTheEnd() {
        StreamTranslator translator = translator(request(true));
        List<SseEvent> chunks = Fixtures.events(DIR + "interleaved-tools.chunks.sse");
        List<SseEvent> out = new ArrayList<>();
        for (int i : new int[] {0, 1, 2, 3, 4, 7, 8, 9}) {
            // the first call's arguments stop half-way: the second call waits for the end of the answer
            out.addAll(translator.onEvent(chunks.get(i)));
        }
        String written = write(out);
        assertTrue(written.contains("""
                data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"call_rome",\
                "name":"get_weather","input":{}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta",\
                "partial_json":"{\\"city\\": "}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":1}

                event: message_delta"""), written);
    }

    @Test
    void argumentsOfAToolCallResumedAfterAnotherAreAProtocolError() {
        StreamTranslator translator = translator(request(true));
        List<SseEvent> chunks = Fixtures.events(DIR + "parallel-tools.chunks.sse");
        chunks.subList(0, 7).forEach(translator::onEvent);
        SseEvent late = SseEvent.data(chunks.get(4).data());

        UpstreamException failure = assertThrows(UpstreamException.class, () -> translator.onEvent(late));
        assertEquals(ErrorKind.PROTOCOL, failure.kind());
    }

    // ---- helpers

    private StreamTranslator translator(ChatRequest request) {
        return codec.fromChatStream(request, adapter.newStreamTranslator(request, TARGET));
    }

    private static ChatRequest request(boolean stream) {
        return MessagesRequestParser.parse(("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":"
                + stream + ",\"stop_sequences\":[\"END\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String write(List<SseEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SseWriter writer = new SseWriter(out);
        try {
            for (SseEvent event : events) {
                writer.write(event);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Target target() {
        ProviderConfig provider = GatewayConfig.create(Config.just(ConfigSources.create(
                "providers:\n  p: {type: openai, api-key: sk-test-upstream-0123456789}",
                MediaTypes.APPLICATION_X_YAML))).providers().get("p");
        return new Target(provider, "gpt-5-nano", 1).withKey(provider.keys().getFirst());
    }
}
