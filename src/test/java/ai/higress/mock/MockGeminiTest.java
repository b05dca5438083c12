package ai.higress.mock;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static ai.higress.mock.MockHttp.reply;
import static ai.higress.mock.MockHttp.tokens;
import static ai.higress.mock.MockHttp.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mock's Gemini endpoints: {@code generateContent}, {@code streamGenerateContent?alt=sse}, function calls, the
 * generation config, Google's error envelope, the key check and the model list; and the failure sequence that all
 * protocols share.
 */
class MockGeminiTest {

    private static final String GENERATE = "/v1beta/models/demo:generateContent";
    private static final String STREAM = "/v1beta/models/demo:streamGenerateContent?alt=sse";

    private final MockHttp http = new MockHttp();
    private MockUpstream mock;

    @BeforeEach
    void startMock() {
        mock = http.start(MockUpstreamConfig.defaults().withoutDelays());
    }

    @AfterEach
    void stopMocks() {
        http.close();
    }

    @Test
    void jsonReplyIsAGenerateContentResponse() {
        String body = """
                {"systemInstruction":{"parts":[{"text":"Be brief."}]},
                 "contents":[{"role":"user","parts":[{"text":"Hi"}]},{"role":"model","parts":[{"text":"Hello."}]},
                   {"role":"user","parts":[{"text":"What is"},{"inlineData":{"mimeType":"image/png","data":"AA=="}},
                     {"text":"a gateway?"}]}]}""";
        HttpResponse<String> response = http.post(mock, GENERATE, body);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        JsonNode root = tree(response.body());
        assertEquals(1, root.path("candidates").size());
        JsonNode candidate = root.path("candidates").get(0);
        assertEquals("model", candidate.path("content").path("role").asText());
        assertEquals(reply("What is a gateway?"), candidate.path("content").path("parts").get(0).path("text").asText());
        assertEquals("STOP", candidate.path("finishReason").asText());
        assertEquals(0, candidate.path("index").asInt());
        int promptChars = "Be brief.".length() + "Hi".length() + "Hello.".length() + "What is".length()
                + "a gateway?".length();
        assertUsage(root.path("usageMetadata"), (promptChars + 3) / 4, tokens("What is a gateway?"));
        assertEquals("demo", root.path("modelVersion").asText());
        assertEquals("mock-1", root.path("responseId").asText());
        assertEquals(1, mock.requestCount());
    }

    @Test
    void streamSendsOneResponsePerTokenFramedByCrlf() {
        HttpResponse<String> response = http.post(mock, STREAM, contents("tell me a story", ""));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("text/event-stream", response.headers().firstValue("content-type").orElseThrow());
        List<JsonNode> events = events(response.body());
        int tokens = tokens("tell me a story");
        assertEquals(tokens, events.size(), "one response per token, no terminal marker");
        StringBuilder text = new StringBuilder();
        for (JsonNode event : events) {
            JsonNode candidate = event.path("candidates").get(0);
            text.append(candidate.path("content").path("parts").get(0).path("text").asText());
            assertEquals("mock-1", event.path("responseId").asText());
            assertEquals(4, event.path("usageMetadata").path("promptTokenCount").asInt());
            if (event != events.getLast()) {
                assertFalse(candidate.has("finishReason"), event.toString());
                assertFalse(event.path("usageMetadata").has("candidatesTokenCount"), event.toString());
            }
        }
        assertEquals(reply("tell me a story"), text.toString());
        assertEquals("STOP", events.getLast().path("candidates").get(0).path("finishReason").asText());
        assertUsage(events.getLast().path("usageMetadata"), 4, tokens);
    }

    @Test
    void modeAnyForcesAFunctionCall() {
        String forced = ",\"tools\":[{\"functionDeclarations\":[{\"name\":\"lookup\"},{\"name\":\"other\"}]}],"
                + "\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\"%s}}";
        JsonNode json = tree(http.post(mock, GENERATE, contents("weather?",
                forced.formatted(",\"allowedFunctionNames\":[\"other\"]"))).body());
        JsonNode call = json.path("candidates").get(0).path("content").path("parts").get(0).path("functionCall");
        assertEquals("other", call.path("name").asText());
        assertEquals("{\"input\":\"weather?\"}", call.path("args").toString());
        assertEquals("STOP", json.path("candidates").get(0).path("finishReason").asText());

        List<JsonNode> events = events(http.post(mock, STREAM, contents("weather?", forced.formatted(""))).body());
        assertEquals(1, events.size(), "a function call arrives whole");
        JsonNode streamed = events.getFirst().path("candidates").get(0).path("content").path("parts").get(0);
        assertEquals("lookup", streamed.path("functionCall").path("name").asText(), "the first declared function");
        assertEquals("weather?", streamed.path("functionCall").path("args").path("input").asText());
        String auto = forced.formatted("").replace("ANY", "AUTO");
        JsonNode text = tree(http.post(mock, GENERATE, contents("weather?", auto)).body());
        assertTrue(text.path("candidates").get(0).path("content").path("parts").get(0).has("text"));
    }

    @Test
    void generationConfigLimitsTokensAndCountsCandidates() {
        JsonNode cut = tree(http.post(mock, GENERATE, contents("hi",
                ",\"generationConfig\":{\"maxOutputTokens\":3}")).body());
        JsonNode candidate = cut.path("candidates").get(0);
        assertEquals("Hello from the", candidate.path("content").path("parts").get(0).path("text").asText());
        assertEquals("MAX_TOKENS", candidate.path("finishReason").asText());

        JsonNode two = tree(http.post(mock, GENERATE, contents("hi",
                ",\"generationConfig\":{\"candidateCount\":2}")).body());
        assertEquals(2, two.path("candidates").size());
        assertEquals(1, two.path("candidates").get(1).path("index").asInt());
        assertEquals(2 * tokens("hi"), two.path("usageMetadata").path("candidatesTokenCount").asInt());
    }

    @Test
    void badRequestsGetGooglesErrorEnvelope() {
        assertError(http.post(mock, GENERATE, "{not json"), 400, "INVALID_ARGUMENT");
        assertError(http.post(mock, GENERATE, "{\"contents\":[]}"), 400, "INVALID_ARGUMENT");
        assertError(http.post(mock, GENERATE, contents("hi", "").replace("\"user\"", "\"system\"")), 400,
                "INVALID_ARGUMENT");
        assertError(http.post(mock, GENERATE, contents("hi", ",\"generationConfig\":{\"maxOutputTokens\":0}")), 400,
                "INVALID_ARGUMENT");
        assertError(http.post(mock, GENERATE, contents("hi", ",\"toolConfig\":{\"functionCallingConfig\":"
                + "{\"mode\":\"ANY\"}}")), 400, "INVALID_ARGUMENT");
        assertError(http.post(mock, "/v1beta/models/demo:streamGenerateContent", contents("hi", "")), 400,
                "INVALID_ARGUMENT");
        HttpResponse<String> unknown = http.post(mock, "/v1beta/models/gemini-9:generateContent", contents("hi", ""));
        assertError(unknown, 404, "NOT_FOUND");
        assertTrue(tree(unknown.body()).path("error").path("message").asText().startsWith("models/gemini-9 "));
        assertError(http.post(mock, "/v1beta/models/demo:countTokens", contents("hi", "")), 404, "NOT_FOUND");
        assertError(http.send(java.net.http.HttpRequest.newBuilder(MockHttp.uri(mock, GENERATE))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build()), 405, "UNIMPLEMENTED");
        assertEquals(8, mock.requestCount(), "a refused call counts as a request, as on the OpenAI endpoint");
    }

    @Test
    void theKeyIsReadFromXGoogApiKeyOrTheKeyParameter() {
        MockUpstream guarded = http.start(MockUpstreamConfig.defaults().withoutDelays().withApiKey("AIza-mock"));
        String body = contents("hi", "");

        assertError(http.post(guarded, GENERATE, body), 403, "PERMISSION_DENIED");
        assertError(http.post(guarded, GENERATE, body, "Authorization", "Bearer AIza-mock"), 403,
                "PERMISSION_DENIED");
        HttpResponse<String> wrong = http.post(guarded, GENERATE, body, "x-goog-api-key", "AIza-wrong");
        assertError(wrong, 400, "INVALID_ARGUMENT");
        JsonNode detail = tree(wrong.body()).path("error").path("details").get(0);
        assertEquals("type.googleapis.com/google.rpc.ErrorInfo", detail.path("@type").asText());
        assertEquals("API_KEY_INVALID", detail.path("reason").asText());
        assertEquals(200, http.post(guarded, GENERATE, body, "x-goog-api-key", "AIza-mock").statusCode());
        assertEquals(200, http.post(guarded, GENERATE + "?key=AIza-mock", body).statusCode());
        assertEquals(200, http.post(guarded, STREAM + "&key=AIza-mock", body).statusCode());
        assertEquals(3, guarded.requestCount(), "rejected callers never reach the handler");
    }

    @Test
    void modelsAreListedAsGeminiModels() {
        MockUpstream two = http.start(MockUpstreamConfig.defaults().withoutDelays().withModels(List.of("demo",
                "gemini-mock")));
        JsonNode list = tree(http.get(two, "/v1beta/models?pageSize=1000").body());

        assertEquals(2, list.path("models").size());
        JsonNode first = list.path("models").get(0);
        assertEquals("models/demo", first.path("name").asText());
        assertEquals("[\"generateContent\"]", first.path("supportedGenerationMethods").toString());
        assertFalse(list.has("nextPageToken"));
        assertEquals("models/gemini-mock", tree(http.get(two, "/v1beta/models/gemini-mock").body()).path("name")
                .asText());
        assertError(http.get(two, "/v1beta/models/nope"), 404, "NOT_FOUND");
    }

    @Test
    void injectedFailuresAreInternalErrors() {
        MockUpstream failing = http.start(MockUpstreamConfig.defaults().withoutDelays().withFailureRate(1));
        assertError(http.post(failing, GENERATE, contents("hi", "")), 500, "INTERNAL");
        assertError(http.post(failing, STREAM, contents("hi", "")), 500, "INTERNAL");
        assertEquals(2, failing.requestCount());
    }

    @Test
    void everyProtocolDrawsFromOneFailureSequence() {
        MockUpstreamConfig config = MockUpstreamConfig.defaults().withoutDelays().withFailureRate(0.5).withSeed(7);
        MockUpstream openAiOnly = http.start(config);
        MockUpstream mixed = http.start(config);
        List<Integer> openAi = new ArrayList<>();
        List<Integer> rotating = new ArrayList<>();
        String chat = "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String messages = "{\"model\":\"demo\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        for (int i = 0; i < 21; i += 3) {
            for (int k = 0; k < 3; k++) {
                openAi.add(http.post(openAiOnly, "/v1/chat/completions", chat).statusCode());
            }
            rotating.add(http.post(mixed, "/v1/chat/completions", chat).statusCode());
            rotating.add(http.post(mixed, "/v1/messages", messages, "anthropic-version", "2023-06-01").statusCode());
            rotating.add(http.post(mixed, GENERATE, contents("hi", "")).statusCode());
        }
        assertEquals(openAi, rotating, "the n-th request fails or not whatever its protocol");
        assertTrue(openAi.contains(200) && openAi.contains(500), openAi.toString());
        assertEquals(21, mixed.requestCount());
    }

    private static String contents(String userText, String extraFields) {
        return "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + userText + "\"}]}]" + extraFields + "}";
    }

    private static void assertUsage(JsonNode usage, int prompt, int candidates) {
        assertEquals(prompt, usage.path("promptTokenCount").asInt(), usage.toString());
        assertEquals(candidates, usage.path("candidatesTokenCount").asInt(), usage.toString());
        assertEquals(prompt + candidates, usage.path("totalTokenCount").asInt(), usage.toString());
    }

    private static void assertError(HttpResponse<String> response, int status, String googleStatus) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        JsonNode error = tree(response.body()).path("error");
        assertEquals(status, error.path("code").asInt(), response.body());
        assertEquals(googleStatus, error.path("status").asText(), response.body());
        assertFalse(error.path("message").asText().isBlank(), response.body());
    }

    /** Every response of a Gemini stream, checking its framing: {@code data: <json>} and CRLF CRLF, nothing else. */
    static List<JsonNode> events(String body) {
        assertTrue(body.endsWith("\r\n\r\n"), body);
        List<JsonNode> events = new ArrayList<>();
        for (String frame : body.split("\r\n\r\n")) {
            assertTrue(frame.startsWith("data: ") && !frame.contains("\n"), frame);
            events.add(tree(frame.substring("data: ".length())));
        }
        return events;
    }
}
