package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import ai.higress.mock.MockUpstream;
import ai.higress.mock.MockUpstreamConfig;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's OpenAI, Anthropic and Gemini adapters against the built-in mock upstream's three protocols on one
 * real socket, with the mock checking the upstream key in each protocol's header: every ingress (chat completions,
 * messages, responses) to every upstream, JSON and streamed, tool calls, and the mock's error envelopes classified by
 * each adapter. The mock answers the same question with the same text in every protocol, so each translated answer is
 * compared with that one text.
 */
class MockProtocolsServerTest {
    private static final String UPSTREAM_KEY = "sk-mock-upstream-0123456789";
    private static final String QUESTION = "What is a gateway?";
    private static final String REPLY = "Hello from the AI-Higress demo provider. You said: \"" + QUESTION + "\"";
    /** One completion token per word of {@link #REPLY}. */
    private static final int REPLY_TOKENS = REPLY.split(" ").length;
    private static final List<String> MODELS = List.of("via-openai", "via-anthropic", "via-gemini");

    private MockUpstream mock;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        mock = MockUpstream.start(MockUpstreamConfig.defaults().withoutDelays().withApiKey(UPSTREAM_KEY)
                .withModels(List.of("mock-model")));
        gateway = TestGateway.start("""
                providers:
                  oai: {type: openai, base-url: "%1$s", api-key: "%3$s", models: [mock-model]}
                  anth: {type: anthropic, base-url: "%1$s", api-key: "%3$s", models: [mock-model, ghost]}
                  gem: {type: gemini, base-url: "%2$s", api-key: "%3$s", models: [mock-model, ghost]}
                  anth-badkey: {type: anthropic, base-url: "%1$s", api-key: "sk-wrong-key-0123", models: [mock-model]}
                  gem-badkey: {type: gemini, base-url: "%2$s", api-key: "AIza-wrong-key", models: [mock-model]}
                models:
                  via-openai: {targets: [{provider: oai, model: mock-model}]}
                  via-anthropic: {targets: [{provider: anth, model: mock-model}]}
                  via-gemini: {targets: [{provider: gem, model: mock-model}]}
                timeouts: {connect: PT1S, first-token: PT5S, idle: PT5S, request: PT10S, stream: PT10S}
                """.formatted(mock.baseUri(), mock.geminiBaseUri(), UPSTREAM_KEY));
    }

    @AfterEach
    void stop() {
        gateway.close();
        mock.close();
    }

    @Test
    void chatCompletionsGetTheSameAnswerFromEveryUpstreamProtocol() {
        for (String model : MODELS) {
            HttpResponse<String> response = gateway.post("/v1/chat/completions", chat(model, false, ""));

            assertEquals(200, response.statusCode(), model + ": " + response.body());
            assertEquals(provider(model), response.headers().firstValue("x-higress-provider").orElseThrow());
            JsonNode choice = tree(response.body()).path("choices").get(0);
            assertEquals(REPLY, choice.path("message").path("content").asText(), model);
            assertEquals("stop", choice.path("finish_reason").asText(), model);
            JsonNode usage = tree(response.body()).path("usage");
            assertEquals(5, usage.path("prompt_tokens").asInt(), model + ": \"What is a gateway?\" is 18 characters");
            assertEquals(REPLY_TOKENS, usage.path("completion_tokens").asInt(), model);
        }
        assertEquals(3, mock.requestCount(), "one upstream call per request");
    }

    @Test
    void chatStreamsArriveTokenByTokenFromEveryUpstreamProtocol() {
        for (String model : MODELS) {
            TestGateway.StreamedResponse stream = gateway.stream(chat(model, true, ""));

            assertEquals(200, stream.status(), model + ": " + stream.body());
            List<String> data = stream.data();
            assertEquals("[DONE]", data.getLast(), model);
            StringBuilder text = new StringBuilder();
            int contentChunks = 0;
            String finish = "";
            for (String chunk : data.subList(0, data.size() - 1)) {
                JsonNode node = tree(chunk);
                assertFalse(node.has("error"), model + ": " + chunk);
                for (JsonNode choice : node.path("choices")) {
                    String piece = choice.path("delta").path("content").asText("");
                    contentChunks += piece.isEmpty() ? 0 : 1;
                    text.append(piece);
                    finish = choice.path("finish_reason").asText(finish);
                }
            }
            assertEquals(REPLY, text.toString(), model);
            assertEquals(REPLY_TOKENS, contentChunks, model + ": one chunk per token, as the mock paced them");
            assertEquals("stop", finish, model);
            JsonNode usage = tree(data.get(data.size() - 2)).path("usage");
            assertEquals(REPLY_TOKENS, usage.path("completion_tokens").asInt(), model + ": " + data);
        }
    }

    @Test
    void aForcedToolCallComesBackFromEveryUpstreamProtocol() {
        String tools = ",\"tool_choice\":\"required\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":"
                + "\"lookup\",\"parameters\":{\"type\":\"object\",\"properties\":{\"input\":{\"type\":\"string\"}}}}}]";
        for (String model : MODELS) {
            HttpResponse<String> response = gateway.post("/v1/chat/completions", chat(model, false, tools));
            assertEquals(200, response.statusCode(), model + ": " + response.body());
            JsonNode choice = tree(response.body()).path("choices").get(0);
            assertEquals("tool_calls", choice.path("finish_reason").asText(), model);
            JsonNode call = choice.path("message").path("tool_calls").get(0);
            assertEquals("lookup", call.path("function").path("name").asText(), model);
            assertEquals(QUESTION, tree(call.path("function").path("arguments").asText()).path("input").asText(),
                    model);

            TestGateway.StreamedResponse stream = gateway.stream(chat(model, true, tools));
            StringBuilder arguments = new StringBuilder();
            for (String chunk : stream.data()) {
                if (!chunk.equals("[DONE]")) {
                    for (JsonNode delta : tree(chunk).path("choices").path(0).path("delta").path("tool_calls")) {
                        arguments.append(delta.path("function").path("arguments").asText(""));
                    }
                }
            }
            assertEquals(QUESTION, tree(arguments.toString()).path("input").asText(), model + ": " + stream.body());
        }
    }

    @Test
    void messagesClientsGetTheAnswerFromEveryUpstreamProtocol() {
        for (String model : MODELS) {
            HttpResponse<String> response = gateway.post("/v1/messages", messages(model, false));
            assertEquals(200, response.statusCode(), model + ": " + response.body());
            JsonNode message = tree(response.body());
            assertEquals(REPLY, message.path("content").get(0).path("text").asText(), model);
            assertEquals("end_turn", message.path("stop_reason").asText(), model);
            assertEquals(REPLY_TOKENS, message.path("usage").path("output_tokens").asInt(), model);

            TestGateway.StreamedResponse stream = gateway.stream("/v1/messages", messages(model, true));
            assertEquals(200, stream.status(), model + ": " + stream.body());
            List<String> events = stream.lines().stream().filter(line -> line.startsWith("event: "))
                    .map(line -> line.substring("event: ".length())).toList();
            assertEquals("message_start", events.getFirst(), model);
            assertEquals("message_stop", events.getLast(), model);
            StringBuilder text = new StringBuilder();
            for (String data : stream.data()) {
                JsonNode event = tree(data);
                assertFalse(event.path("type").asText().equals("error"), model + ": " + data);
                text.append(event.path("delta").path("text").asText(""));
            }
            assertEquals(REPLY, text.toString(), model);
        }
    }

    @Test
    void responsesClientsGetTheAnswerFromEveryUpstreamProtocol() {
        for (String model : MODELS) {
            String body = "{\"model\":\"" + model + "\",\"input\":\"" + QUESTION + "\",\"store\":false}";
            HttpResponse<String> response = gateway.post("/v1/responses", body);
            assertEquals(200, response.statusCode(), model + ": " + response.body());
            JsonNode root = tree(response.body());
            assertEquals("completed", root.path("status").asText(), model);
            assertEquals(REPLY, outputText(root), model);

            TestGateway.StreamedResponse stream = gateway.stream("/v1/responses",
                    body.replace("}", ",\"stream\":true}"));
            assertEquals(200, stream.status(), model + ": " + stream.body());
            StringBuilder text = new StringBuilder();
            String last = "";
            for (String data : stream.data()) {
                JsonNode event = tree(data);
                last = event.path("type").asText();
                if (last.equals("response.output_text.delta")) {
                    text.append(event.path("delta").asText());
                }
            }
            assertEquals(REPLY, text.toString(), model);
            assertEquals("response.completed", last, model);
        }
    }

    @Test
    void theMocksErrorsAreClassifiedByEachAdapter() {
        for (String provider : List.of("anth-badkey", "gem-badkey")) {
            HttpResponse<String> refused = gateway.post("/v1/chat/completions", chat(provider + "/mock-model", false,
                    ""));
            assertEquals("upstream_auth_failed", tree(refused.body()).path("error").path("code").asText(),
                    provider + ": " + refused.body());
        }
        for (String provider : List.of("anth", "gem")) {
            HttpResponse<String> unknown = gateway.post("/v1/chat/completions", chat(provider + "/ghost", false, ""));
            assertEquals(404, unknown.statusCode(), provider + ": " + unknown.body());
        }
        assertEquals(2, mock.requestCount(), "rejected keys never reach a handler; unknown models do");
    }

    @Test
    void injectedFailuresAreServerErrorsInEveryProtocol() {
        MockUpstream failing = MockUpstream.start(MockUpstreamConfig.defaults().withoutDelays().withFailureRate(1)
                .withModels(List.of("mock-model")));
        try (TestGateway broken = TestGateway.start("""
                providers:
                  anth: {type: anthropic, base-url: "%1$s", api-key: "k", models: [mock-model]}
                  gem: {type: gemini, base-url: "%2$s", api-key: "k", models: [mock-model]}
                """.formatted(failing.baseUri(), failing.geminiBaseUri()))) {
            for (String model : List.of("anth/mock-model", "gem/mock-model")) {
                HttpResponse<String> response = broken.post("/v1/chat/completions", chat(model, false, ""));
                assertTrue(response.statusCode() >= 500, model + ": " + response.body());
                assertEquals("upstream_error", tree(response.body()).path("error").path("code").asText(),
                        model + ": " + response.body());
            }
        } finally {
            failing.close();
        }
    }

    private static String provider(String model) {
        return switch (model) {
            case "via-openai" -> "oai";
            case "via-anthropic" -> "anth";
            default -> "gem";
        };
    }

    private static String chat(String model, boolean stream, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]"
                + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + extra + "}";
    }

    private static String messages(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":256,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}";
    }

    private static String outputText(JsonNode response) {
        List<String> texts = new ArrayList<>();
        for (JsonNode item : response.path("output")) {
            for (JsonNode content : item.path("content")) {
                if (content.path("type").asText().equals("output_text")) {
                    texts.add(content.path("text").asText());
                }
            }
        }
        return String.join("", texts);
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
