package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseInputMessageItem;
import com.openai.models.responses.ResponseItem;
import com.openai.models.responses.ResponseOutputMessage;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.inputitems.InputItemListPage;
import com.openai.models.responses.inputitems.InputItemListParams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Responses API as the official OpenAI Java SDK ({@code com.openai:openai-java}) sees it, against a gateway whose
 * only upstream speaks chat completions. The SDK validates every response it reads ({@code responseValidation}), and
 * retries are off so an error is the first answer's.
 */
class OpenAiSdkResponsesTest {
    private ScriptedUpstream upstream;
    private TestGateway gateway;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        upstream = ScriptedUpstream.start();
        gateway = TestGateway.start("""
                providers:
                  local: {type: openai, base-url: "%s", models: [qwen]}
                """.formatted(upstream.baseUri()));
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.uri("/v1").toString()).apiKey(TestGateway.KEY)
                .maxRetries(0).responseValidation(true).build();
    }

    @AfterEach
    void stop() {
        client.close();
        gateway.close();
        upstream.close();
    }

    private static String text(Response response) {
        return response.output().getFirst().message().orElseThrow().content().getFirst().outputText().orElseThrow()
                .text();
    }

    @Test
    void createAnswersFromAChatOnlyUpstream() {
        upstream.enqueue(Step.json(200, OpenAiChunks.completion("qwen", "Hello from qwen.", 11, 4)));
        Response response = client.responses().create(ResponseCreateParams.builder().model("qwen")
                .instructions("Be brief.").input("Say hello").maxOutputTokens(50).build());
        assertTrue(response.id().startsWith("resp_"));
        assertEquals(ResponseStatus.COMPLETED, response.status().orElseThrow());
        assertEquals("Hello from qwen.", text(response));
        assertEquals(11, response.usage().orElseThrow().inputTokens());
        assertEquals(15, response.usage().orElseThrow().totalTokens());
        JsonNode sent = upstream.lastRequest().json();
        assertEquals("/v1/chat/completions", upstream.lastRequest().path());
        assertEquals("Be brief.", sent.at("/messages/0/content").asText());
        assertEquals(50, sent.path("max_completion_tokens").asInt());
    }

    @Test
    void createStreamingDeliversTheStandardEvents() {
        upstream.enqueue(Step.sse(OpenAiChunks.streamOf("qwen", List.of("Hel", "lo", "!"), true)));
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
                ResponseCreateParams.builder().model("qwen").input("Say hello").build())) {
            stream.stream().forEach(events::add);
        }
        assertTrue(events.getFirst().isCreated());
        StringBuilder deltas = new StringBuilder();
        events.stream().filter(ResponseStreamEvent::isOutputTextDelta)
                .forEach(event -> deltas.append(event.asOutputTextDelta().delta()));
        assertEquals("Hello!", deltas.toString());
        ResponseStreamEvent last = events.getLast();
        assertTrue(last.isCompleted());
        assertEquals("Hello!", text(last.asCompleted().response()));
        assertEquals(3, last.asCompleted().response().usage().orElseThrow().outputTokens());
        assertEquals(events.size() - 1, last.asCompleted().sequenceNumber());
    }

    @Test
    void aFunctionCallRoundTripContinuesFromTheStoredResponse() throws IOException {
        upstream.enqueue(Step.json(200, fixture("openai/chat-tools.response.json")))
                .enqueue(Step.json(200, OpenAiChunks.completion("qwen", "It is 22 F in Boston.", 40, 9)));
        FunctionTool weather = FunctionTool.builder().name("get_current_weather").strict(false)
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("location",
                                Map.of("type", "string"))))
                        .build())
                .build();
        Response first = client.responses().create(ResponseCreateParams.builder().model("qwen")
                .input("What is the weather like in Boston today?").addTool(weather).build());
        ResponseFunctionToolCall call = first.output().getFirst().functionCall().orElseThrow();
        assertEquals("call_8fxy20OEu9ulvvaa5b5CzVA4", call.callId());
        assertEquals("get_current_weather", call.name());

        Response second = client.responses().create(ResponseCreateParams.builder().model("qwen")
                .previousResponseId(first.id()).addTool(weather)
                .inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput
                        .builder().callId(call.callId()).output("22 F, snowing").build())))
                .build());
        assertEquals("It is 22 F in Boston.", text(second));
        assertEquals(first.id(), second.previousResponseId().orElseThrow());
        JsonNode messages = upstream.lastRequest().json().path("messages");
        assertEquals("What is the weather like in Boston today?", messages.at("/0/content").asText());
        assertEquals(call.callId(), messages.at("/1/tool_calls/0/id").asText());
        assertEquals(call.arguments(), messages.at("/1/tool_calls/0/function/arguments").asText());
        assertEquals("tool", messages.at("/2/role").asText());
        assertEquals("22 F, snowing", messages.at("/2/content").asText());
    }

    @Test
    void storedResponsesAreRetrievedAndDeleted() {
        upstream.enqueue(Step.json(200, OpenAiChunks.completion("qwen", "Kept.", 5, 1)));
        Response created = client.responses().create(ResponseCreateParams.builder().model("qwen").input("Hi").build());
        Response retrieved = client.responses().retrieve(created.id());
        assertEquals(created.id(), retrieved.id());
        assertEquals("Kept.", text(retrieved));
        client.responses().delete(created.id());
        assertThrows(NotFoundException.class, () -> client.responses().retrieve(created.id()));
    }

    @Test
    void inputItemsArePagedByTheSdksAutoPager() {
        upstream.enqueue(Step.json(200, OpenAiChunks.completion("qwen", "Hello.", 5, 1)))
                .enqueue(Step.json(200, OpenAiChunks.completion("qwen", "Bye.", 9, 1)));
        Response first = client.responses().create(ResponseCreateParams.builder().model("qwen").input("Hi").build());
        Response second = client.responses().create(ResponseCreateParams.builder().model("qwen")
                .previousResponseId(first.id()).input("Bye?").build());

        InputItemListPage page = client.responses().inputItems().list(second.id(), InputItemListParams.builder()
                .limit(2).order(InputItemListParams.Order.ASC).build());
        assertEquals(2, page.data().size());
        assertTrue(page.hasNextPage());
        List<ResponseItem> items = new ArrayList<>();
        page.autoPager().forEach(items::add);
        assertEquals(3, items.size());
        ResponseInputMessageItem hi = items.get(0).responseInputMessageItem().orElseThrow();
        assertEquals(ResponseInputMessageItem.Role.USER, hi.role());
        assertEquals("Hi", hi.content().getFirst().inputText().orElseThrow().text());
        ResponseOutputMessage hello = items.get(1).responseOutputMessage().orElseThrow();
        assertEquals(first.output().getFirst().message().orElseThrow().id(), hello.id(),
                "the first answer is listed under the id it was sent with");
        assertEquals("Bye?", items.get(2).responseInputMessageItem().orElseThrow().content().getFirst().inputText()
                .orElseThrow().text());

        List<ResponseItem> newestFirst = client.responses().inputItems().list(second.id()).data();
        assertEquals(items.reversed(), newestFirst);
        assertThrows(NotFoundException.class, () -> client.responses().inputItems().list("resp_unknown"));
    }

    @Test
    void aBuiltInToolIsABadRequestNamingIt() {
        BadRequestException failure = assertThrows(BadRequestException.class, () -> client.responses().create(
                ResponseCreateParams.builder().model("qwen").input("Search the web")
                        .addTool(com.openai.models.responses.WebSearchTool.builder()
                                .type(com.openai.models.responses.WebSearchTool.Type.WEB_SEARCH).build())
                        .build()));
        assertEquals("tools[0].type", failure.param().orElseThrow());
        assertEquals("unsupported_value", failure.code().orElseThrow());
        assertEquals(0, upstream.callCount());
    }

    private static String fixture(String path) throws IOException {
        try (InputStream in = OpenAiSdkResponsesTest.class.getResourceAsStream("/fixtures/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
