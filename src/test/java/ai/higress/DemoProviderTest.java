package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.config.ConfigException;
import ai.higress.config.GatewayConfig;
import ai.higress.config.ProviderType;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The zero-config demo: one mock socket reached as an OpenAI ({@code demo}), an Anthropic ({@code demo-anthropic},
 * logical model {@code demo-claude}) and a Gemini ({@code demo-gemini}) provider, so that changing only the model name
 * shows a request translated to another protocol and back.
 */
class DemoProviderTest {
    private static final String DEMO = "demo: {enabled: true, first-token-delay: PT0S, token-interval: PT0S}";
    private static final String REPLY = "Hello from the AI-Higress demo provider. You said: \"Hello!\"";

    @Test
    void theDefaultsAddThreeProvidersOnOneMockAndFourLogicalModels() {
        GatewayConfig defaults = GatewayConfig.create(Main.load(Optional.empty()));
        DemoProvider.Started started = DemoProvider.startIfEnabled(defaults).orElseThrow();
        try {
            GatewayConfig config = started.config();
            assertEquals(List.of("demo", "demo-anthropic", "demo-gemini"), List.copyOf(config.providers().keySet()));
            assertEquals(ProviderType.ANTHROPIC, config.providers().get("demo-anthropic").type());
            assertEquals(ProviderType.GEMINI, config.providers().get("demo-gemini").type());
            assertEquals(started.mock().baseUri(), config.providers().get("demo-anthropic").baseUrl());
            assertEquals(started.mock().geminiBaseUri(), config.providers().get("demo-gemini").baseUrl());
            assertEquals(List.of("demo", "demo-embedding", "demo-claude", "demo-gemini"),
                    List.copyOf(config.models().keySet()));
            assertEquals("demo-anthropic", config.models().get("demo-claude").targets().getFirst().provider());
            assertEquals("demo", config.models().get("demo-claude").targets().getFirst().model());
            assertTrue(config.catalog().discovers("demo"));
            assertFalse(config.catalog().discovers("demo-anthropic"), "its list would only repeat the mock's");
            assertFalse(config.catalog().discovers("demo-gemini"));
        } finally {
            started.mock().close();
        }
    }

    @Test
    void theDemoProviderNamesAreReserved() {
        GatewayConfig taken = GatewayConfig.create(TestGateway.config(DEMO + """

                providers:
                  demo-gemini: {type: openai, preset: vllm, models: [m]}
                """));
        ConfigException refused = assertThrows(ConfigException.class, () -> DemoProvider.startIfEnabled(taken));
        assertEquals("providers.demo-gemini", refused.key());
    }

    @Test
    void everyDemoModelAnswersTheSameThroughItsOwnProtocol() {
        try (TestGateway gateway = TestGateway.start(DEMO)) {
            List<String> providers = new ArrayList<>();
            for (String model : List.of("demo", "demo-claude", "demo-gemini", "demo-anthropic/demo")) {
                HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\":\"" + model
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}");
                assertEquals(200, response.statusCode(), model + ": " + response.body());
                assertEquals(REPLY, tree(response.body()).path("choices").get(0).path("message").path("content")
                        .asText(), model);
                providers.add(response.headers().firstValue("x-higress-provider").orElseThrow());
            }
            assertEquals(List.of("demo", "demo-anthropic", "demo-gemini", "demo-anthropic"), providers);

            TestGateway.StreamedResponse stream = gateway.stream("/v1/messages", "{\"model\":\"demo-gemini\","
                    + "\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}");
            StringBuilder text = new StringBuilder();
            stream.data().forEach(data -> text.append(tree(data).path("delta").path("text").asText("")));
            assertEquals(REPLY, text.toString(), stream.body());

            JsonNode models = tree(gateway.get("/v1/models").body()).path("data");
            List<String> ids = new ArrayList<>();
            models.forEach(model -> ids.add(model.path("id").asText()));
            assertTrue(ids.containsAll(List.of("demo-claude", "demo-gemini", "demo-anthropic/demo", "demo-gemini/demo")),
                    ids.toString());
        }
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
