package ai.higress.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.higress.config.AuthStyle;
import ai.higress.config.ModelCapabilities;
import ai.higress.config.PathStyle;
import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderPreset;
import ai.higress.config.ProviderType;
import ai.higress.config.TimeoutsConfig;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.provider.openai.OpenAiAdapter;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;
import ai.higress.schema.WireProtocol;
import ai.higress.stream.SseEvent;
import ai.higress.stream.SseReader;
import ai.higress.testing.OpenAiSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chat chunk streams (recorded OpenAI streams and hand-written ones) through the OpenAI adapter's translator and the
 * Responses stream codec. Every stream is checked for what any Responses client relies on: each event named by its
 * type, numbered from 0, valid against the official schema; every item added before its deltas and done after them,
 * under one id and one output index; deltas adding up to the done texts and to the final response's output.
 */
class ResponsesStreamCodecTest {
    private static final Target TARGET = new Target(new ProviderConfig("p", ProviderType.OPENAI,
            ProviderPreset.CUSTOM, URI.create("http://p.invalid/v1"), List.of(), AuthStyle.NONE, PathStyle.STANDARD,
            "", Map.of(), List.of("m"), ModelCapabilities.ALL, Map.of(), 10, true, TimeoutsConfig.DEFAULTS), "m", 1);

    /** Azure's first chunk: no choices, no id, an empty model, only its prompt filter results. */
    private static final String AZURE_OPENING = "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\","
            + "\"object\":\"\",\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}";

    private static StreamTranslator codec(ChatRequest request) {
        StreamTranslator chat = new OpenAiAdapter(ResponsesCodecTest.CLOCK).newStreamTranslator(request, TARGET);
        StreamTranslator codec = new ResponsesCodec(ResponsesCodecTest.CLOCK, ResponsesCodecTest.ids())
                .fromChatStream(request, chat);
        assertEquals(WireProtocol.OPENAI_RESPONSES, codec.protocol());
        return codec;
    }

    private static List<SseEvent> upstream(String path) {
        try (InputStream in = ResponsesStreamCodecTest.class.getResourceAsStream("/fixtures/" + path)) {
            SseReader reader = new SseReader(in, 1 << 20);
            List<SseEvent> events = new ArrayList<>();
            for (Optional<SseEvent> next = reader.next(); next.isPresent(); next = reader.next()) {
                events.add(next.get());
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> run(String path, String request) {
        StreamTranslator codec = codec(ResponsesCodecTest.request(request));
        List<SseEvent> out = new ArrayList<>();
        for (SseEvent event : upstream(path)) {
            out.addAll(codec.onEvent(event));
        }
        assertTrue(codec.finished(), "the terminal event was sent");
        return wellFormed(out);
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(event -> event.path("type").asText()).toList();
    }

    private static String chunk(String model, String delta, String finish) {
        return "{\"id\":\"chatcmpl-az1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}";
    }

    private static List<JsonNode> runChunks(String... chunks) {
        StreamTranslator codec = codec(ResponsesCodecTest.request("string-input"));
        List<SseEvent> out = new ArrayList<>();
        for (String chunk : chunks) {
            out.addAll(codec.onEvent(SseEvent.data(chunk)));
        }
        assertTrue(codec.finished());
        return numbered(out);
    }

    @Test
    void anOpeningChunkThatNamesNoModelWaitsForTheFirstOneThatDoes() {
        List<JsonNode> events = runChunks(AZURE_OPENING,
                chunk("gpt-4o-2024-11-20", "{\"role\":\"assistant\",\"content\":\"Hi\"}", "null"),
                chunk("gpt-4o-2024-11-20", "{}", "\"stop\""), SseEvent.DONE);
        assertEquals("response.created", events.getFirst().path("type").asText());
        assertEquals(0, events.getFirst().path("sequence_number").asInt());
        assertEquals("gpt-4o-2024-11-20", events.getFirst().at("/response/model").asText());
        assertEquals("gpt-4o-2024-11-20", events.getLast().at("/response/model").asText());
        assertEquals("Hi", events.getLast().at("/response/output/0/content/0/text").asText());
    }

    @Test
    void aStreamThatNeverNamesItsModelReportsTheTargetsModel() {
        List<JsonNode> events = runChunks(AZURE_OPENING, chunk("", "{\"content\":\"Hi\"}", "\"stop\""),
                SseEvent.DONE);
        assertEquals(TARGET.upstreamModel(), events.getFirst().at("/response/model").asText());
        assertEquals(TARGET.upstreamModel(), events.getLast().at("/response/model").asText());
        List<JsonNode> nothing = runChunks(AZURE_OPENING, SseEvent.DONE);
        assertEquals(List.of("response.created", "response.in_progress", "response.completed"), types(nothing));
        assertEquals(TARGET.upstreamModel(), nothing.getFirst().at("/response/model").asText());
    }

    @Test
    void aRecordedTextStreamBecomesTheStandardSequence() {
        List<JsonNode> events = run("openai/chat-streaming.response.sse", "string-input");
        List<String> types = types(events);
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added"), types.subList(0, 4));
        assertEquals(List.of("response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.completed"), types.subList(types.size() - 4, types.size()));
        assertTrue(types.subList(4, types.size() - 4).stream().allMatch("response.output_text.delta"::equals));
        JsonNode response = events.getLast().path("response");
        assertEquals("gpt-5-nano-2025-08-07", response.path("model").asText());
        assertTrue(response.at("/output/0/content/0/text").asText().startsWith("Hi there!"));
        assertFalse(response.has("usage"), "this recording was made without include_usage");
    }

    @Test
    void aRecordedStreamCutShortEndsIncompleteWithItsUsage() {
        List<JsonNode> events = run("openai/chat-streaming-detailed-usage.response.sse", "string-input");
        JsonNode response = events.getLast().path("response");
        assertEquals("response.incomplete", events.getLast().path("type").asText());
        assertEquals("max_output_tokens", response.at("/incomplete_details/reason").asText());
        assertTrue(response.at("/usage/output_tokens").asInt() > 0);
        assertTrue(response.at("/usage/output_tokens_details/reasoning_tokens").asInt() > 0);
    }

    @Test
    void parallelToolCallsBecomeTwoFunctionCallItems() {
        List<JsonNode> events = run("responses/streams/parallel-tools.sse", "function-round-trip");
        assertEquals(List.of("response.created", "response.in_progress",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.completed"), types(events));
        JsonNode output = events.getLast().at("/response/output");
        assertEquals("call_paris", output.at("/0/call_id").asText());
        assertEquals("{\"city\":\"Paris\"}", output.at("/0/arguments").asText());
        assertEquals("call_rome", output.at("/1/call_id").asText());
        assertEquals("{\"city\":\"Rome\"}", output.at("/1/arguments").asText());
        assertEquals(100, events.getLast().at("/response/usage/total_tokens").asInt());
    }

    @Test
    void interleavedArgumentsStayWithTheirCall() {
        JsonNode output = run("responses/streams/interleaved-tools.sse", "function-round-trip").getLast()
                .at("/response/output");
        assertEquals("first", output.at("/0/name").asText());
        assertEquals("{\"n\":1}", output.at("/0/arguments").asText());
        assertEquals("second", output.at("/1/name").asText());
        assertEquals("{\"m\":2}", output.at("/1/arguments").asText());
    }

    @Test
    void textBeforeAToolCallClosesItsMessageFirst() {
        List<String> types = types(run("responses/streams/text-then-tool.sse", "weather-tool"));
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done", "response.completed"), types);
    }

    @Test
    void reasoningContentBecomesAReasoningItemBeforeTheMessage() {
        List<JsonNode> events = run("responses/streams/reasoning.sse", "string-input");
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.reasoning_text.delta", "response.reasoning_text.delta",
                "response.reasoning_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.completed"), types(events));
        JsonNode output = events.getLast().at("/response/output");
        assertEquals("Thinking.", output.at("/0/content/0/text").asText());
        assertEquals("Four.", output.at("/1/content/0/text").asText());
    }

    @Test
    void aRefusalStreamsAsARefusalPart() {
        List<JsonNode> events = run("responses/streams/refusal.sse", "string-input");
        assertTrue(types(events).contains("response.refusal.delta"));
        assertEquals("I'm sorry, I can't help with that.",
                events.getLast().at("/response/output/0/content/0/refusal").asText());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 6})
    void aFailureMidStreamEndsWithTheErrorEventNumberedNext(int chunks) {
        StreamTranslator codec = codec(ResponsesCodecTest.request("function-round-trip"));
        List<SseEvent> out = new ArrayList<>();
        for (SseEvent event : upstream("responses/streams/parallel-tools.sse").subList(0, chunks)) {
            out.addAll(codec.onEvent(event));
        }
        out.add(codec.errorEvent(UpstreamException.transport(ErrorKind.TIMEOUT, "provider 'p': no event in time")));
        List<JsonNode> events = numbered(out);
        JsonNode error = events.getLast();
        assertEquals(Json.object().put("type", "error").put("code", "upstream_timeout")
                .put("message", "provider 'p': no event in time").putNull("param")
                .put("sequence_number", events.size() - 1), error);
        assertFalse(codec.finished());
    }

    /** Parses the events, checks names, numbering and the schema, then item bookkeeping and texts. */
    private static List<JsonNode> wellFormed(List<SseEvent> out) {
        List<JsonNode> events = numbered(out);
        assertEquals(List.of("response.created", "response.in_progress"), types(events).subList(0, 2));
        Map<Integer, String> ids = new HashMap<>();
        Map<Integer, JsonNode> done = new LinkedHashMap<>();
        Map<String, StringBuilder> deltas = new HashMap<>();
        for (JsonNode event : events) {
            String type = event.path("type").asText();
            int index = event.path("output_index").asInt(-1);
            if (type.equals("response.output_item.added")) {
                assertEquals(null, ids.put(index, event.at("/item/id").asText()), "one item per output index");
                continue;
            }
            if (index >= 0) {
                assertTrue(ids.containsKey(index), "added before " + type);
                assertFalse(done.containsKey(index), type + " after the item was done");
                String id = event.has("item") ? event.at("/item/id").asText() : event.path("item_id").asText();
                assertEquals(ids.get(index), id, "one id per item: " + event);
            }
            String key = index + "/" + event.path("content_index").asInt(-1);
            if (type.endsWith(".delta")) {
                deltas.computeIfAbsent(key, k -> new StringBuilder()).append(event.path("delta").asText());
            } else if (type.endsWith("_text.done") || type.endsWith("refusal.done")
                    || type.endsWith("arguments.done")) {
                String text = event.has("arguments") ? event.path("arguments").asText()
                        : event.has("refusal") ? event.path("refusal").asText() : event.path("text").asText();
                assertEquals(deltas.getOrDefault(key, new StringBuilder()).toString(), text, "deltas add up: " + key);
            } else if (type.equals("response.output_item.done")) {
                done.put(index, event.path("item"));
            }
        }
        ArrayNode items = Json.MAPPER.createArrayNode();
        done.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> items.add(entry.getValue()));
        JsonNode last = events.getLast();
        assertEquals(items, last.at("/response/output"), "the final output is the items as they were done");
        assertEquals(events.getFirst().at("/response/id"), last.at("/response/id"));
        return events;
    }

    private static List<JsonNode> numbered(List<SseEvent> out) {
        List<JsonNode> events = new ArrayList<>();
        for (SseEvent event : out) {
            JsonNode data;
            try {
                data = Json.MAPPER.readTree(event.data());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertEquals(data.path("type").asText(), event.event(), "the event is named by its type");
            assertEquals(events.size(), data.path("sequence_number").asInt(), "numbered from 0, one by one");
            OpenAiSchema.assertStreamEvent(data);
            events.add(data);
        }
        return events;
    }
}
