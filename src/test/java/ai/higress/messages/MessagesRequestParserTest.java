package ai.higress.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.error.GatewayException;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;
import ai.higress.schema.WireProtocol;
import ai.higress.testing.Fixtures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Messages requests against hand-written fixtures ({@code fixtures/anthropic-ingress/}, see its PROVENANCE.md): each
 * {@code NAME.request.json} must translate to exactly {@code NAME.canonical.json}, and every case of
 * {@code refusals.json} must be refused with a 400 whose message is exactly the one given.
 */
class MessagesRequestParserTest {
    private static final String DIR = "anthropic-ingress/";

    @ParameterizedTest
    @ValueSource(strings = {"basic", "system-blocks", "tool-round-trip", "parallel-tools", "images", "thinking"})
    void translatesToTheCanonicalRequest(String name) {
        ChatRequest request = MessagesRequestParser.parse(Fixtures.bytes(DIR + name + ".request.json"));

        assertEquals(Fixtures.json(DIR + name + ".canonical.json"), Fixtures.normalized(request.body()));
        assertEquals(WireProtocol.ANTHROPIC_MESSAGES, request.clientProtocol());
        assertEquals(Fixtures.json(DIR + name + ".request.json"), request.clientBody(), "the client's body, as sent");
        assertEquals("claude-sonnet-4-5", request.model());
    }

    @TestFactory
    List<DynamicTest> refusesWhatCannotBeTranslated() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode refusal : Fixtures.json(DIR + "refusals.json")) {
            byte[] body = Json.bytes(refusal.get("request"));
            tests.add(DynamicTest.dynamicTest(refusal.get("case").asText(), () -> {
                GatewayException failure = assertThrows(GatewayException.class,
                        () -> MessagesRequestParser.parse(body));
                assertEquals(400, failure.status());
                assertEquals(refusal.get("message").asText(), failure.getMessage());
            }));
        }
        return tests;
    }

    @Test
    void theClientBodyIsNeverModified() {
        ObjectNode original = (ObjectNode) Fixtures.json(DIR + "tool-round-trip.request.json");
        String before = Json.text(original);

        ChatRequest request = MessagesRequestParser.parse(original, false);
        ((ObjectNode) request.body().get("tools").get(0).get("function").get("parameters")).put("edited", true);

        assertSame(original, request.clientBody());
        assertEquals(before, Json.text(original), "neither parsing nor editing the canonical body touches it");
    }

    @Test
    void streamingAsksForUsageAndDerivesFeatures() {
        ChatRequest request = MessagesRequestParser.parse(Fixtures.bytes(DIR + "thinking.request.json"));
        assertTrue(request.stream());
        assertTrue(request.includeUsage(), "message_delta needs the usage chunk");
        assertTrue(request.features().streaming());

        ChatRequest images = MessagesRequestParser.parse(Fixtures.bytes(DIR + "images.request.json"));
        assertFalse(images.stream());
        assertTrue(images.features().vision());
        assertTrue(MessagesRequestParser.parse(Fixtures.bytes(DIR + "parallel-tools.request.json")).features().tools());
    }

    @ParameterizedTest
    @CsvSource({"1024, low", "4095, low", "4096, medium", "16383, medium", "16384, high", "64000, high"})
    void thinkingBudgetsBecomeReasoningEfforts(long budget, String effort) {
        ChatRequest request = parse("{\"model\":\"m\",\"max_tokens\":100000,\"thinking\":{\"type\":\"enabled\","
                + "\"budget_tokens\":" + budget + "},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(effort, request.body().get("reasoning_effort").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"disabled", "adaptive"})
    void thinkingWithoutABudgetLeavesTheEffortToTheModel(String type) {
        ChatRequest request = parse("{\"model\":\"m\",\"max_tokens\":10,\"thinking\":{\"type\":\"" + type + "\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertFalse(request.body().has("reasoning_effort"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"auto\"}|\"auto\"|",
            "{\"type\":\"none\"}|\"none\"|",
            "{\"type\":\"any\",\"disable_parallel_tool_use\":true}|\"required\"|false",
            "{\"type\":\"tool\",\"name\":\"f\"}|{\"type\":\"function\",\"function\":{\"name\":\"f\"}}|",
            "{\"type\":\"auto\",\"disable_parallel_tool_use\":false}|\"auto\"|"})
    void toolChoices(String choice, String canonical, String parallel) {
        ChatRequest request = parse("{\"model\":\"m\",\"max_tokens\":10,\"tool_choice\":" + choice + ",\"tools\":"
                + "[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(Fixtures.tree(canonical), request.body().get("tool_choice"));
        assertEquals(Optional.ofNullable(parallel),
                Optional.ofNullable(request.body().get("parallel_tool_calls")).map(JsonNode::asText));
    }

    @Test
    void aToolChoiceThatNeedsNoToolsIsLeftOutWithoutTools() {
        ChatRequest request = parse("{\"model\":\"m\",\"max_tokens\":10,\"tool_choice\":{\"type\":\"auto\","
                + "\"disable_parallel_tool_use\":true},\"tools\":[],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertFalse(request.body().has("tool_choice"));
        assertFalse(request.body().has("tools"));
        assertFalse(request.body().has("parallel_tool_calls"), "chat upstreams refuse it without tools");
    }

    @Test
    void countTokensNeedsNoMaxTokensAndNeverStreams() {
        ChatRequest request = MessagesRequestParser.parseCountTokens(("{\"model\":\"m\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8));
        assertFalse(request.stream());
        assertFalse(request.body().has("max_completion_tokens"));
        assertThrows(GatewayException.class, () -> MessagesRequestParser.parseCountTokens(
                "{\"model\":\"m\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                        .getBytes(StandardCharsets.UTF_8)), "a max_tokens that is sent is still checked");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "[1,2]", "\"text\"", "{\"a\":1} {\"b\":2}"})
    void aBodyThatIsNotOneJsonObjectIsRefused(String body) {
        GatewayException failure = assertThrows(GatewayException.class, () -> parse(body));
        assertEquals(400, failure.status());
    }

    private static ChatRequest parse(String body) {
        return MessagesRequestParser.parse(body.getBytes(StandardCharsets.UTF_8));
    }
}
