package ai.higress;

import static ai.higress.GatewayServerTest.chatBody;
import static ai.higress.GatewayServerTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.RecordedRequest;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exposing a model under another name: a logical model named like the public model, and a provider-level alias that
 * keeps the vendor's own name out of {@code /v1/models} (configured and discovered lists alike).
 */
class ModelAliasServerTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String LIST = """
            {"object": "list", "data": [{"id": "prod-4o-0806", "object": "model"}, {"id": "other", "object": "model"}]}""";

    private ScriptedUpstream vendor;

    @BeforeEach
    void start() {
        vendor = ScriptedUpstream.start();
    }

    @AfterEach
    void stop() {
        vendor.close();
    }

    private TestGateway gateway() {
        TestGateway gateway = TestGateway.start("""
                providers:
                  vendor:
                    type: openai
                    base-url: "%s"
                    api-key: "sk-vendor-0123456789"
                    models: [{name: prod-4o-0806, alias: gpt-4o}, plain]
                models:
                  - name: gpt-4o-smart
                    targets: [{provider: vendor, model: gpt-4o}]
                catalog: {discover: true, refresh-interval: PT1H}
                """.formatted(vendor.baseUri()));
        return gateway;
    }

    private static List<String> ids(TestGateway gateway) {
        HttpResponse<String> response = gateway.get("/v1/models");
        assertEquals(200, response.statusCode(), response.body());
        List<String> ids = new ArrayList<>();
        parse(response.body()).path("data").forEach(model -> ids.add(model.path("id").asText()));
        return ids;
    }

    private String sentModel(int call) {
        RecordedRequest request = vendor.requests().get(call);
        return parse(request.bodyText()).path("model").asText();
    }

    @Test
    void theAliasIsListedAndRoutedWhileTheVendorNameStaysHidden() {
        vendor.enqueue(Step.json(200, LIST));
        vendor.otherwise(Step.json(200, OpenAiChunks.completion("prod-4o-0806", "hi", 3, 1)));
        try (TestGateway gateway = gateway()) {
            assertTrue(vendor.awaitCallCount(1, Duration.ofSeconds(5)), "the catalog fetched the vendor's list");
            assertEquals(List.of("gpt-4o-smart", "vendor/gpt-4o", "vendor/plain", "vendor/other"), ids(gateway),
                    "the discovered vendor name is hidden behind its alias too");
            assertEquals(200, gateway.get("/v1/models/gpt-4o").statusCode(), "the bare alias resolves");

            for (String model : List.of("gpt-4o", "vendor/gpt-4o", "gpt-4o-smart")) {
                HttpResponse<String> response = gateway.post(CHAT, chatBody(model, false, ""));
                assertEquals(200, response.statusCode(), model + ": " + response.body());
                assertEquals("prod-4o-0806", response.headers().firstValue("x-higress-model").orElseThrow());
            }
            for (int call = 1; call <= 3; call++) {
                assertEquals("prod-4o-0806", sentModel(call), "the upstream gets its own name");
            }
            HttpResponse<String> one = gateway.get("/v1/models/vendor/gpt-4o");
            assertEquals(200, one.statusCode(), one.body());
        }
    }
}
