package ai.higress.responses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import ai.higress.error.UpstreamException;
import ai.higress.provider.ChatResult;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;
import ai.higress.testing.OpenAiSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Chat completions into Response objects, from fixtures: the completion, the Responses request it answers, and the
 * exact Response expected ({@code completions/<name>.response.json}), with ids and time made deterministic. Every
 * Response is also validated against the official schema.
 */
class ResponsesCodecTest {
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_764_144_000L), ZoneOffset.UTC);

    /** Ids 0001, 0002, ... in the order the codec asks for them. */
    static Supplier<String> ids() {
        AtomicInteger next = new AtomicInteger();
        return () -> "%04d".formatted(next.incrementAndGet());
    }

    static ChatRequest request(String name) {
        return ResponsesRequests.toChat(ResponsesRequests.read(
                (ObjectNode) ResponsesRequestsTest.fixture("responses/requests/" + name + ".json")), Optional.empty());
    }

    private static byte[] bytes(String path) {
        try (InputStream in = ResponsesCodecTest.class.getResourceAsStream("/fixtures/" + path)) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing fixture " + path, e);
        }
    }

    private static JsonNode translate(String completion, String request) {
        byte[] body = bytes(completion);
        JsonNode chat;
        try {
            chat = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChatResult result = new ChatResult(body, Usage.fromOpenAi(chat.get("usage")),
                chat.at("/choices/0/finish_reason").asText(""));
        ChatResult translated = new ResponsesCodec(CLOCK, ids()).fromChat(request(request), result);
        assertEquals(WireProtocol.OPENAI_RESPONSES, translated.protocol());
        assertEquals(result.usage(), translated.usage());
        try {
            return Json.MAPPER.readTree(translated.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "responses/completions/text.json, string-input, text",
            "openai/chat-tools.response.json, weather-tool, chat-tools",
            "responses/completions/parallel-tools.json, function-round-trip, parallel-tools",
            "responses/completions/length.json, string-input, length",
            "responses/completions/refusal.json, string-input, refusal",
            "responses/completions/content-filter.json, items, content-filter"})
    void becomesTheExpectedResponse(String completion, String request, String expected) {
        JsonNode response = translate(completion, request);
        OpenAiSchema.assertResponse(response);
        assertEquals(ResponsesRequestsTest.fixture("responses/completions/" + expected + ".response.json"), response,
                Json.text(response));
    }

    @Test
    void aCompletionWithoutAMessageFailsTheAttempt() {
        ChatResult result = new ChatResult("{\"choices\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Optional.empty(), "");
        UpstreamException failure = assertThrows(UpstreamException.class,
                () -> new ResponsesCodec(CLOCK, ids()).fromChat(request("string-input"), result));
        assertEquals(ai.higress.error.ErrorKind.PROTOCOL, failure.kind());
    }

    @Test
    void randomIdsAreHexAndFresh() {
        Supplier<String> ids = ResponsesCodec.randomIds();
        String first = ids.get();
        assertEquals(32, first.length());
        assertArrayEquals(new boolean[] {true, false}, new boolean[] {first.matches("[0-9a-f]+"),
                first.equals(ids.get())});
    }
}
