package ai.higress.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import ai.higress.config.GatewayConfig;
import ai.higress.config.ProviderConfig;
import ai.higress.provider.UpstreamRequest;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

/** A query in an adapter's path (Azure's api-version, Gemini's alt=sse) reaches the upstream as a query. */
class UpstreamClientQueryTest {

    @Test
    void theQueryIsNotPercentEncodedIntoThePath() {
        try (ScriptedUpstream upstream = ScriptedUpstream.start()) {
            upstream.otherwise(Step.json(200, "{\"data\":[]}"));
            ProviderConfig provider = GatewayConfig.create(Config.just(ConfigSources.create("""
                    providers:
                      az: {type: openai, preset: azure, api-key: k, base-url: "%s/openai"}
                    """.formatted(upstream.baseUri()), MediaTypes.APPLICATION_X_YAML))).providers().get("az");
            try (UpstreamClient client = UpstreamClient.create(provider)) {
                try (UpstreamResponse response = client.send(new UpstreamRequest(
                        "/deployments/gpt-4o/chat/completions?api-version=2024-10-21", Map.of(),
                        "{}".getBytes(StandardCharsets.UTF_8), false), Duration.ofSeconds(5))) {
                    assertEquals(200, response.status());
                }
                client.get("/models?pageSize=2&pageToken=a%2Bb", Duration.ofSeconds(5));
            }
            assertEquals("/v1/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
                    upstream.requests().get(0).path());
            assertEquals("/v1/openai/models?pageSize=2&pageToken=a%2Bb", upstream.requests().get(1).path());
        }
    }
}
