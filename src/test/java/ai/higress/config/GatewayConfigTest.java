package ai.higress.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayConfigTest {
    private static final String PROVIDER_KEY = "sk-proj-SECRET-provider-0123456789";
    private static final String CLIENT_KEY = "client-SECRET-key-0123456789";

    static GatewayConfig load(String yaml) {
        return GatewayConfig.create(Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML)));
    }

    /** The message of the ConfigException that {@code yaml} raises; asserts it starts with {@code key + ": "}. */
    private static String failure(String yaml, String key) {
        ConfigException failure = assertThrows(ConfigException.class, () -> load(yaml));
        assertTrue(failure.getMessage().startsWith(key + ": "), failure.getMessage());
        return failure.getMessage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "openai|https://api.openai.com/v1|BEARER|STANDARD|true",
            "deepseek|https://api.deepseek.com/v1|BEARER|STANDARD|true",
            "groq|https://api.groq.com/openai/v1|BEARER|STANDARD|true",
            "mistral|https://api.mistral.ai/v1|BEARER|STANDARD|false",
            "openrouter|https://openrouter.ai/api/v1|BEARER|STANDARD|true",
            "together|https://api.together.xyz/v1|BEARER|STANDARD|true",
            "vllm|http://127.0.0.1:8000/v1|BEARER|STANDARD|true",
            "ollama|http://127.0.0.1:11434/v1|BEARER|STANDARD|true"})
    void presetsWithABuiltInBaseUrl(String preset, String baseUrl, AuthStyle auth, PathStyle path, boolean usage) {
        ProviderConfig provider = load("""
                providers:
                  p:
                    type: openai
                    preset: %s
                    api-key: %s
                """.formatted(preset, PROVIDER_KEY)).providers().get("p");
        assertEquals(ProviderPreset.valueOf(preset.toUpperCase()), provider.preset());
        assertEquals(ProviderType.OPENAI, provider.type());
        assertEquals(URI.create(baseUrl), provider.baseUrl());
        assertEquals(auth, provider.authStyle());
        assertEquals(path, provider.pathStyle());
        assertEquals(usage, provider.streamUsage());
        assertEquals("", provider.apiVersion());
        assertEquals(Optional.of(Secret.of(PROVIDER_KEY)), provider.apiKey());
    }

    @Test
    void azurePreset() {
        ProviderConfig provider = load("""
                providers:
                  az:
                    type: openai
                    preset: azure
                    base-url: https://resource-name.cognitiveservices.azure.com/openai/
                    api-key: %s
                """.formatted(PROVIDER_KEY)).providers().get("az");
        assertEquals(URI.create("https://resource-name.cognitiveservices.azure.com/openai"), provider.baseUrl(),
                "trailing slash stripped");
        assertEquals(AuthStyle.API_KEY_HEADER, provider.authStyle());
        assertEquals(PathStyle.AZURE_DEPLOYMENT, provider.pathStyle());
        assertTrue(provider.streamUsage());
        assertEquals("2024-10-21", provider.apiVersion());
    }

    @Test
    void azureApiVersionCanBeSet() {
        ProviderConfig provider = load("""
                providers:
                  az:
                    type: openai
                    preset: azure
                    base-url: https://other.openai.azure.com/openai
                    api-key: %s
                    api-version: 2024-12-01-preview
                """.formatted(PROVIDER_KEY)).providers().get("az");
        assertEquals("2024-12-01-preview", provider.apiVersion());
    }

    @Test
    void customPreset() {
        ProviderConfig provider = load("""
                providers:
                  local:
                    type: openai
                    preset: custom
                    base-url: http://10.0.0.5:9000/openai/v1
                """).providers().get("local");
        assertEquals(URI.create("http://10.0.0.5:9000/openai/v1"), provider.baseUrl());
        assertEquals(AuthStyle.BEARER, provider.authStyle());
        assertEquals(PathStyle.STANDARD, provider.pathStyle());
        assertTrue(provider.streamUsage());
        assertEquals(Optional.empty(), provider.apiKey(), "custom needs no key");
    }

    @Test
    void presetDefaultsToCustomWithABaseUrlAndOpenAiWithout() {
        GatewayConfig config = load("""
                providers:
                  mine: {type: openai, base-url: "https://llm.example.com/v1"}
                  oai: {type: openai, api-key: %s}
                """.formatted(PROVIDER_KEY));
        assertEquals(ProviderPreset.CUSTOM, config.providers().get("mine").preset());
        assertEquals(ProviderPreset.OPENAI, config.providers().get("oai").preset());
        assertEquals(URI.create("https://api.openai.com/v1"), config.providers().get("oai").baseUrl());
        assertEquals(List.of("mine", "oai"), List.copyOf(config.providers().keySet()));
    }

    @Test
    void everyPresetFieldCanBeOverridden() {
        ProviderConfig provider = load("""
                providers:
                  p:
                    type: openai
                    preset: mistral
                    base-url: https://eu.mistral.example/v1
                    auth-style: api-key-header
                    path-style: azure-deployment
                    api-version: v9
                    stream-usage: true
                    api-key: %s
                    max-concurrency: 7
                    models: [a, b/c]
                    headers: {HTTP-Referer: "https://app.example", X-Title: demo}
                """.formatted(PROVIDER_KEY)).providers().get("p");
        assertEquals(URI.create("https://eu.mistral.example/v1"), provider.baseUrl());
        assertEquals(AuthStyle.API_KEY_HEADER, provider.authStyle());
        assertEquals(PathStyle.AZURE_DEPLOYMENT, provider.pathStyle());
        assertEquals("v9", provider.apiVersion());
        assertTrue(provider.streamUsage());
        assertEquals(7, provider.maxConcurrency());
        assertEquals(List.of("a", "b/c"), provider.models());
        assertEquals(Map.of("HTTP-Referer", "https://app.example", "X-Title", "demo"), provider.headers());
    }

    @Test
    void emptyConfigurationUsesDefaults() {
        GatewayConfig config = load("{}");
        assertEquals(Map.of(), config.providers());
        assertEquals(Map.of(), config.models());
        assertEquals(List.of(), config.auth().apiKeys());
        assertEquals(TimeoutsConfig.DEFAULTS, config.timeouts());
        assertEquals(new LimitsConfig(10L * 1024 * 1024, 32L * 1024 * 1024, 64 * 1024, 4 * 1024 * 1024, 3),
                config.limits());
        assertEquals(new ServerConfig("0.0.0.0", 8080, Duration.ofSeconds(10)), config.server());
        assertTrue(config.demo().enabled(), "the demo provider starts when no provider is configured");
        assertTrue(config.observe().accessLog());
    }

    @Test
    void perProviderTimeoutsOverrideTheGlobalOnes() {
        GatewayConfig config = load("""
                timeouts: {connect: PT2S, idle: PT10S}
                providers:
                  fast: {type: openai, preset: vllm, timeouts: {idle: PT3S, first-token: PT7.5S}}
                  plain: {type: openai, preset: ollama}
                """);
        assertEquals(new TimeoutsConfig(Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(10),
                Duration.ofSeconds(300), Duration.ofSeconds(600)), config.timeouts());
        assertEquals(new TimeoutsConfig(Duration.ofSeconds(2), Duration.ofMillis(7500), Duration.ofSeconds(3),
                Duration.ofSeconds(300), Duration.ofSeconds(600)), config.providers().get("fast").timeouts());
        assertEquals(config.timeouts(), config.providers().get("plain").timeouts());
        assertFalse(config.demo().enabled());
    }

    @Test
    void modelsAndTargets() {
        GatewayConfig config = load("""
                providers:
                  a: {type: openai, preset: vllm}
                  b: {type: openai, preset: ollama}
                models:
                  chat:
                    targets:
                      - {provider: a, model: m1, weight: 3}
                      - {provider: b, model: m2}
                      - {provider: b, model: m3, weight: 0}
                """);
        assertEquals(new ModelConfig("chat", List.of(new TargetConfig("a", "m1", 3), new TargetConfig("b", "m2", 1),
                new TargetConfig("b", "m3", 0))), config.models().get("chat"));
    }

    @Test
    void missingType() {
        assertEquals("providers.p.type: is required (supported: openai)", failure("""
                providers:
                  p: {preset: vllm}
                """, "providers.p.type"));
    }

    @Test
    void unknownType() {
        assertEquals("providers.p.type: must be one of [openai], was 'anthropic'", failure("""
                providers:
                  p: {type: anthropic, preset: vllm}
                """, "providers.p.type"));
    }

    @Test
    void unknownPreset() {
        assertEquals("providers.p.preset: must be one of [openai, azure, deepseek, groq, mistral, openrouter, "
                + "together, vllm, ollama, custom], was 'bedrock'", failure("""
                providers:
                  p: {type: openai, preset: bedrock, api-key: k}
                """, "providers.p.preset"));
    }

    @Test
    void unknownAuthAndPathStyles() {
        failure("providers: {p: {type: openai, preset: vllm, auth-style: basic}}", "providers.p.auth-style");
        failure("providers: {p: {type: openai, preset: vllm, path-style: odd}}", "providers.p.path-style");
    }

    @Test
    void invalidProviderId() {
        failure("providers: {OpenAI: {type: openai, preset: vllm}}", "providers.OpenAI");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "ftp://files.example.com/v1|expected an absolute http(s) URL, was 'ftp://files.example.com/v1'",
            "api.openai.com/v1|expected an absolute http(s) URL, was 'api.openai.com/v1'",
            "https:///v1|expected an absolute http(s) URL, was 'https:///v1'",
            "https://llm.example.com/v1?key=1|must not contain a query or fragment",
            "https://llm.example.com/v1#x|must not contain a query or fragment",
            "http://bad host/v1|is not a valid URL: 'http://bad host/v1'"})
    void badBaseUrl(String url, String problem) {
        assertEquals("providers.p.base-url: " + problem, failure("""
                providers:
                  p: {type: openai, base-url: "%s"}
                """.formatted(url), "providers.p.base-url"));
    }

    @Test
    void azureWithoutBaseUrl() {
        assertEquals("providers.az.base-url: is required for preset azure", failure("""
                providers:
                  az: {type: openai, preset: azure, api-key: k}
                """, "providers.az.base-url"));
        assertEquals("providers.c.base-url: is required for preset custom", failure("""
                providers:
                  c: {type: openai, preset: custom}
                """, "providers.c.base-url"));
    }

    @Test
    void openAiWithoutApiKey() {
        assertEquals("providers.openai.api-key: is required for preset openai", failure("""
                providers:
                  openai: {type: openai}
                """, "providers.openai.api-key"));
        assertEquals("providers.openai.api-key: is required for preset openai", failure("""
                providers:
                  openai: {type: openai, api-key: "  "}
                """, "providers.openai.api-key"));
        // a provider that takes no credential needs none
        ProviderConfig keyless = load("""
                providers:
                  openai: {type: openai, auth-style: none}
                """).providers().get("openai");
        assertEquals(AuthStyle.NONE, keyless.authStyle());
    }

    @Test
    void unresolvedVariableReference() {
        String message = failure("""
                providers:
                  openai: {type: openai, api-key: "${HIGRESS_TEST_SURELY_UNSET_KEY}"}
                """, "providers.openai.api-key");
        assertEquals("providers.openai.api-key: refers to ${HIGRESS_TEST_SURELY_UNSET_KEY}, which is not set "
                + "(export it or remove the entry)", message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "5s|expected an ISO-8601 duration such as PT30S, was '5s'",
            "PT0S|must be a positive duration, was PT0S",
            "-PT1S|must not be negative, was -PT1S"})
    void badDuration(String value, String problem) {
        assertEquals("timeouts.connect: " + problem, failure("timeouts: {connect: \"" + value + "\"}",
                "timeouts.connect"));
        assertEquals("providers.p.timeouts.idle: " + problem, failure("""
                providers:
                  p: {type: openai, preset: vllm, timeouts: {idle: "%s"}}
                """.formatted(value), "providers.p.timeouts.idle"));
    }

    @Test
    void negativeWeight() {
        assertEquals("models.chat.targets.1.weight: must be between 0 and 1000000, was -1", failure("""
                providers:
                  a: {type: openai, preset: vllm}
                models:
                  chat:
                    targets:
                      - {provider: a, model: m1}
                      - {provider: a, model: m2, weight: -1}
                """, "models.chat.targets.1.weight"));
    }

    @Test
    void allZeroWeights() {
        assertEquals("models.chat.targets: at least one target needs a weight above 0", failure("""
                providers:
                  a: {type: openai, preset: vllm}
                models:
                  chat:
                    targets:
                      - {provider: a, model: m1, weight: 0}
                      - {provider: a, model: m2, weight: 0}
                """, "models.chat.targets"));
    }

    @Test
    void modelWithoutTargets() {
        failure("""
                providers:
                  a: {type: openai, preset: vllm}
                models:
                  chat: {targets: []}
                """, "models.chat.targets");
    }

    @Test
    void targetNamingAnUnknownProvider() {
        assertEquals("models.chat.targets.1.provider: names unknown provider 'b' (known: [a])", failure("""
                providers:
                  a: {type: openai, preset: vllm}
                models:
                  chat:
                    targets:
                      - {provider: a, model: m1}
                      - {provider: b, model: m2}
                """, "models.chat.targets.1.provider"));
    }

    @Test
    void targetWithoutModel() {
        failure("""
                providers:
                  a: {type: openai, preset: vllm}
                models:
                  chat:
                    targets:
                      - {provider: a}
                """, "models.chat.targets.0.model");
    }

    @Test
    void duplicateClientKeyNames() {
        assertEquals("auth.api-keys.1.name: duplicate key name 'ci'", failure("""
                auth:
                  api-keys:
                    - {name: ci, key: "%s"}
                    - {name: ci, key: "%s-other"}
                """.formatted(CLIENT_KEY, CLIENT_KEY), "auth.api-keys.1.name"));
    }

    @Test
    void tooShortClientKey() {
        String message = failure("""
                auth:
                  api-keys:
                    - {name: ci, key: "%s"}
                    - {name: dev, key: "short-SECRET"}
                """.formatted(CLIENT_KEY), "auth.api-keys.1.key");
        assertEquals("auth.api-keys.1.key: must be at least 16 characters long", message);
    }

    @Test
    void clientKeyOfExactlyTheMinimumLength() {
        GatewayConfig config = load("auth: {api-keys: [{name: ci, key: \"0123456789abcdef\"}]}");
        assertEquals(List.of(new ApiKeyConfig("ci", Secret.of("0123456789abcdef"))), config.auth().apiKeys());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "limits: {max-attempts: 0}|limits.max-attempts: must be between 1 and 10, was 0",
            "limits: {max-attempts: 11}|limits.max-attempts: must be between 1 and 10, was 11",
            "limits: {max-attempts: x}|limits.max-attempts: expected a whole number",
            "limits: {max-sse-line-bytes: 10}|limits.max-sse-line-bytes: must be between 1024 and 67108864 bytes,"
                    + " was 10",
            "server: {port: 70000}|server.port: must be between 0 and 65535, was 70000",
            "observe: {access-log: maybe}|observe.access-log: expected true or false, was 'maybe'"})
    void badLimitsNameTheirKey(String yaml, String message) {
        ConfigException failure = assertThrows(ConfigException.class, () -> load(yaml));
        assertEquals(message, failure.getMessage());
    }

    @Test
    void secretsNeverAppearInToString() {
        GatewayConfig config = load("""
                auth:
                  api-keys:
                    - {name: ci, key: "%s"}
                providers:
                  openai:
                    type: openai
                    api-key: "%s"
                    headers: {X-Extra-Token: "header-SECRET-value"}
                """.formatted(CLIENT_KEY, PROVIDER_KEY));
        ProviderConfig provider = config.providers().get("openai");
        ApiKeyConfig key = config.auth().apiKeys().getFirst();
        for (Object value : List.of(config, provider, key, key.key(), provider.apiKey().orElseThrow(),
                config.auth())) {
            String text = value.toString();
            assertFalse(text.contains("SECRET"), text);
        }
        assertEquals("Secret[****]", key.key().toString());
        assertTrue(provider.toString().contains("apiKey=****"), provider.toString());
        assertTrue(config.toString().contains("openai"), "toString still says what is configured");
        // the secrets themselves are kept
        assertEquals(PROVIDER_KEY, provider.apiKey().orElseThrow().reveal());
        assertTrue(key.key().matches(CLIENT_KEY));
        assertFalse(key.key().matches(CLIENT_KEY + "x"));
    }
}
