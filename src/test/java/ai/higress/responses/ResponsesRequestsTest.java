package ai.higress.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import ai.higress.error.GatewayException;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;
import ai.higress.schema.WireProtocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Responses requests into canonical chat requests, from fixtures: {@code requests/<name>.json -> <name>.chat.json}. */
class ResponsesRequestsTest {

    static JsonNode fixture(String path) {
        try (InputStream in = ResponsesRequestsTest.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + path);
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ChatRequest translate(JsonNode body) {
        return ResponsesRequests.toChat(ResponsesRequests.read((ObjectNode) body.deepCopy()), Optional.empty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"string-input", "items", "function-round-trip", "text-format", "json-object",
            "weather-tool"})
    void becomesTheCanonicalChatBody(String name) {
        JsonNode body = fixture("responses/requests/" + name + ".json");
        ChatRequest request = translate(body);
        assertEquals(fixture("responses/requests/" + name + ".chat.json"), request.body());
        assertEquals(WireProtocol.OPENAI_RESPONSES, request.clientProtocol());
        assertEquals(body, request.clientBody(), "the client's body is kept as sent, for a native upstream");
        assertTrue(request.nativeTo(WireProtocol.OPENAI_RESPONSES));
    }

    @Test
    void featuresFollowTheTranslatedBody() {
        assertTrue(translate(fixture("responses/requests/items.json")).features().vision());
        assertTrue(translate(fixture("responses/requests/function-round-trip.json")).features().tools());
        ChatRequest format = translate(fixture("responses/requests/text-format.json"));
        assertTrue(format.features().jsonMode());
        assertTrue(format.stream());
        assertTrue(format.includeUsage(), "usage is always asked for on streams, the completed event carries it");
        assertFalse(format.features().upstreamState());
    }

    static Stream<JsonNode> refusals() {
        List<JsonNode> cases = new ArrayList<>();
        fixture("responses/requests/refusals.json").forEach(cases::add);
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWithTheParameterNamed(JsonNode refusal) {
        GatewayException failure = assertThrows(GatewayException.class,
                () -> translate(refusal.path("body")), refusal.path("why").asText());
        assertEquals(400, failure.status(), refusal.path("why").asText());
        assertEquals(Optional.of(refusal.path("param").asText()), failure.param(), refusal.path("why").asText());
        assertEquals(Optional.of(refusal.path("code").asText()), failure.code(), refusal.path("why").asText());
    }

    @Test
    void anUnknownPreviousResponseNeedsTheUpstreamThatHoldsIt() {
        ObjectNode body = (ObjectNode) Json.object().put("model", "m").put("input", "And?")
                .put("previous_response_id", "resp_elsewhere");
        ChatRequest request = ResponsesRequests.toChat(ResponsesRequests.read(body), Optional.empty());
        assertTrue(request.features().upstreamState());
        assertSame(body, request.clientBody(), "relayed as sent, previous_response_id included");
    }

    @Test
    void aStoredConversationIsPrependedAndGivesTheNativeBodyItsWholeInput() {
        ObjectNode body = (ObjectNode) Json.object().put("model", "m").put("instructions", "Be kind.")
                .put("input", "And Rome?").put("previous_response_id", "resp_1");
        List<ObjectNode> history = List.of(
                (ObjectNode) Json.object().put("type", "message").put("role", "user").put("content", "Paris?"),
                (ObjectNode) Json.object().put("type", "message").put("role", "assistant").put("content", "Sunny."));
        ChatRequest request = ResponsesRequests.toChat(ResponsesRequests.read(body), Optional.of(history));
        assertEquals(Json.MAPPER.valueToTree(List.of(
                Json.object().put("role", "system").put("content", "Be kind."),
                Json.object().put("role", "user").put("content", "Paris?"),
                Json.object().put("role", "assistant").put("content", "Sunny."),
                Json.object().put("role", "user").put("content", "And Rome?"))), request.body().path("messages"));
        assertFalse(request.features().upstreamState());
        JsonNode input = request.clientBody().path("input");
        assertEquals(3, input.size());
        assertEquals("And Rome?", input.get(2).path("content").asText());
        assertEquals("resp_1", request.clientBody().path("previous_response_id").asText(),
                "kept for the echo; the relay drops it for the upstream");
        assertEquals("And Rome?", body.path("input").asText(), "the client's own body is not edited");
    }

    @Test
    void normalisedInputKeepsWhatCarriesMeaningAndDropsReasoning() {
        ResponsesCall call = ResponsesRequests.read((ObjectNode) fixture("responses/requests/items.json"));
        assertEquals(5, call.input().size(), "the reasoning item is dropped");
        assertEquals(Json.object().put("type", "message").put("role", "assistant")
                .put("content", "A cat, a blank image and notes."), call.input().get(3));
        assertEquals("auto", call.input().get(2).at("/content/2/detail").asText());
        assertTrue(call.store());
        assertFalse(call.stream());
    }
}
