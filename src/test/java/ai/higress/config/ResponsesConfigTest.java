package ai.higress.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

/** The responses.* keys and providers.<id>.responses-api. */
class ResponsesConfigTest {

    private static GatewayConfig load(String yaml) {
        return GatewayConfig.create(Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML)));
    }

    @Test
    void defaults() {
        ResponsesConfig responses = load("server: {port: 0}").responses();
        assertEquals(ResponsesConfig.DEFAULTS, responses);
        assertEquals(Duration.ofDays(30), responses.storeTtl());
        assertEquals(4 * 1024 * 1024, responses.maxStoredBytes());
    }

    @Test
    void everyKeyIsReadAndBounded() {
        assertEquals(new ResponsesConfig(Duration.ofHours(6), 65_536, 1_048_576), load("""
                responses: {store-ttl: PT6H, max-stored-bytes: 65536, max-local-bytes: 1048576}
                """).responses());
        assertEquals("responses.store-ttl", assertThrows(ConfigException.class,
                () -> load("responses: {store-ttl: P400D}")).key());
        assertEquals("responses.max-stored-bytes", assertThrows(ConfigException.class,
                () -> load("responses: {max-stored-bytes: 10}")).key());
        assertEquals("responses.max-local-bytes", assertThrows(ConfigException.class,
                () -> load("responses: {max-stored-bytes: 65536, max-local-bytes: 4096}")).key());
    }

    @Test
    void onlyTheOpenAiPresetServesResponsesUnlessTold() {
        GatewayConfig config = load("""
                providers:
                  openai: {type: openai, api-key: sk-test-0123456789abcdef}
                  groq: {type: openai, preset: groq, api-key: gsk-test-0123456789abcdef}
                  vllm: {type: openai, preset: vllm, responses-api: true}
                  proxied: {type: openai, preset: openai, api-key: sk-test-0123456789abcdef, responses-api: false}
                """);
        assertTrue(config.providers().get("openai").responsesApi());
        assertFalse(config.providers().get("groq").responsesApi());
        assertTrue(config.providers().get("vllm").responsesApi());
        assertFalse(config.providers().get("proxied").responsesApi());
        assertFalse(load("""
                providers:
                  azure: {type: openai, preset: azure, base-url: "https://x.openai.azure.com/openai", api-key: k}
                """).providers().get("azure").responsesApi());
    }

    @Test
    void azureDeploymentPathsCannotRelayResponses() {
        ConfigException failure = assertThrows(ConfigException.class, () -> load("""
                providers:
                  azure: {type: openai, preset: azure, base-url: "https://x.openai.azure.com/openai", api-key: k,
                          responses-api: true}
                """));
        assertEquals("providers.azure.responses-api", failure.key());
    }
}
