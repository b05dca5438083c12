package ai.higress;


import ai.higress.config.GatewayConfig;

import io.helidon.http.HeaderNames;
import io.helidon.metrics.api.Metrics;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole request path on Helidon's test server with virtual-thread pinning detection on: a pinned carrier thread
 * (blocking I/O under a monitor) anywhere on the path fails the test.
 */
@ServerTest(pinningDetection = true)
class PinningServerTest {
    private static Gateway gateway;

    private final WebClient client;

    PinningServerTest(WebClient client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        gateway = Gateway.create(GatewayConfig.create(TestGateway.config(
                        "demo: {enabled: true, first-token-delay: PT0S, token-interval: PT0.001S}")),
                TestGateway.environment(), Metrics.globalRegistry(), System.out);
        gateway.configure(server);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void jsonAndStreamingRequestsRunWithoutPinning() {
        for (boolean stream : new boolean[] {false, true}) {
            try (HttpClientResponse response = client.post("/v1/chat/completions")
                    .header(HeaderNames.AUTHORIZATION, "Bearer " + TestGateway.KEY)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .submit(GatewayServerTest.chatBody("demo", stream, ""))) {
                assertEquals(200, response.status().code());
                String body = response.as(String.class);
                assertTrue(stream ? body.contains("data: [DONE]") : body.contains("\"chat.completion\""), body);
            }
        }
    }
}
