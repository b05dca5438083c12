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
        assertEquals(List.of(new ProviderKey("p#0", Secret.of(PROVIDER_KEY), 1)), provider.keys());
        assertEquals(ModelCapabilities.ALL, provider.capabilities());
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
        assertEquals(List.of(), provider.keys(), "custom needs no key");
    }

    @Test
    void geminiTypeDefaultsToTheGeminiPreset() {
        ProviderConfig gemini = load("""
                providers:
                  g: {type: gemini, api-key: %s}
                """.formatted(PROVIDER_KEY)).providers().get("g");
        assertEquals(ProviderType.GEMINI, gemini.type());
        assertEquals(ProviderPreset.GEMINI, gemini.preset());
        assertEquals(URI.create("https://generativelanguage.googleapis.com/v1beta"), gemini.baseUrl());
        assertEquals(AuthStyle.X_GOOG_API_KEY, gemini.authStyle());
        assertEquals(Optional.of(Map.entry("x-goog-api-key", PROVIDER_KEY)), gemini.authStyle().header(PROVIDER_KEY));

        ProviderConfig proxied = load("""
                providers:
                  g: {type: gemini, preset: gemini, base-url: "https://gemini-proxy.internal/v1beta/", api-key: %s}
                """.formatted(PROVIDER_KEY)).providers().get("g");
        assertEquals(ProviderPreset.GEMINI, proxied.preset(), "a base-url does not make a gemini provider custom");
        assertEquals(URI.create("https://gemini-proxy.internal/v1beta"), proxied.baseUrl());
    }

    @Test
    void geminiNeedsAKeyAndTypeAndPresetMustAgree() {
        assertEquals("providers.g.api-key: is required for preset gemini",
                failure("providers: {g: {type: gemini}}", "providers.g.api-key"));
        assertEquals("providers.g.preset: preset gemini is for type gemini, not openai",
                failure("providers: {g: {type: openai, preset: gemini, api-key: k}}", "providers.g.preset"));
        assertEquals("providers.g.preset: preset groq is for type openai, not gemini",
                failure("providers: {g: {type: gemini, preset: groq, api-key: k}}", "providers.g.preset"));
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
        assertEquals(new RoutingConfig(new HealthConfig(Duration.ofSeconds(30), 10, 0.5, 5, Duration.ofSeconds(5),
                Duration.ofMinutes(5), 0.2, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMinutes(10),
                Duration.ofSeconds(10)), new RetryConfig(0.2, 5, Duration.ofSeconds(10), Duration.ofMillis(50),
                Duration.ofSeconds(1)), SharedHealthConfig.DEFAULT), config.routing());
        assertEquals(new AdminConfig(Optional.empty()), config.admin(), "no token: the admin API refuses all");
        assertTrue(config.demo().enabled(), "the demo provider starts when no provider is configured");
        assertTrue(config.observe().accessLog());
    }

    @Test
    void perProviderTimeoutsOverrideTheGlobalOnes() {
        GatewayConfig config = load("""
                timeouts: {connect: PT2S, idle: PT10S, attempt: PT90S}
                providers:
                  fast: {type: openai, preset: vllm, timeouts: {idle: PT3S, first-token: PT7.5S, attempt: PT20S}}
                  plain: {type: openai, preset: ollama}
                """);
        assertEquals(new TimeoutsConfig(Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(10),
                Duration.ofSeconds(300), Duration.ofSeconds(600), Duration.ofSeconds(90)), config.timeouts());
        assertEquals(new TimeoutsConfig(Duration.ofSeconds(2), Duration.ofMillis(7500), Duration.ofSeconds(3),
                Duration.ofSeconds(300), Duration.ofSeconds(600), Duration.ofSeconds(20)),
                config.providers().get("fast").timeouts());
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
        assertEquals("providers.p.type: is required (supported: openai, anthropic, gemini)", failure("""
                providers:
                  p: {preset: vllm}
                """, "providers.p.type"));
    }

    @Test
    void unknownType() {
        assertEquals("providers.p.type: must be one of [openai, anthropic, gemini], was 'bedrock'", failure("""
                providers:
                  p: {type: bedrock, preset: vllm}
                """, "providers.p.type"));
    }

    @Test
    void unknownPreset() {
        assertEquals("providers.p.preset: must be one of [openai, azure, deepseek, groq, mistral, openrouter, "
                + "together, vllm, ollama, custom, anthropic, gemini], was 'bedrock'", failure("""
                providers:
                  p: {type: openai, preset: bedrock, api-key: k}
                """, "providers.p.preset"));
    }

    @Test
    void anthropicTypeTakesTheAnthropicPreset() {
        ProviderConfig provider = load("""
                providers:
                  claude: {type: anthropic, api-key: %s, models: [claude-sonnet-4-5]}
                """.formatted(PROVIDER_KEY)).providers().get("claude");
        assertEquals(ProviderType.ANTHROPIC, provider.type());
        assertEquals(ProviderPreset.ANTHROPIC, provider.preset());
        assertEquals(URI.create("https://api.anthropic.com/v1"), provider.baseUrl());
        assertEquals(AuthStyle.X_API_KEY, provider.authStyle());
        assertEquals("2023-06-01", provider.apiVersion());
        assertEquals(ProviderConfig.DEFAULT_MAX_TOKENS, provider.defaultMaxTokens());
        assertEquals(ModelCapabilities.ALL, provider.capabilitiesOf("claude-sonnet-4-5"));

        ProviderConfig proxied = load("""
                providers:
                  claude: {type: anthropic, preset: anthropic, base-url: "https://llm-proxy.example/anthropic/v1",
                           api-key: %s, api-version: "2024-10-22", default-max-tokens: 8192}
                """.formatted(PROVIDER_KEY)).providers().get("claude");
        assertEquals(ProviderPreset.ANTHROPIC, proxied.preset(), "a base URL does not make it custom");
        assertEquals(URI.create("https://llm-proxy.example/anthropic/v1"), proxied.baseUrl());
        assertEquals("2024-10-22", proxied.apiVersion());
        assertEquals(8192, proxied.defaultMaxTokens());
        assertEquals(ProviderConfig.DEFAULT_MAX_TOKENS, load("""
                providers:
                  o: {type: openai, api-key: %s}
                """.formatted(PROVIDER_KEY)).providers().get("o").defaultMaxTokens());
    }

    @Test
    void aPresetMustMatchTheType() {
        assertEquals("providers.p.preset: preset deepseek is for type openai, not anthropic", failure("""
                providers:
                  p: {type: anthropic, preset: deepseek, api-key: k}
                """, "providers.p.preset"));
        assertEquals("providers.p.preset: preset anthropic is for type anthropic, not openai", failure("""
                providers:
                  p: {type: openai, preset: anthropic, api-key: k}
                """, "providers.p.preset"));
    }

    @Test
    void anthropicNeedsAKeyAndASaneOutputLimit() {
        assertEquals("providers.p.api-key: is required for preset anthropic", failure("""
                providers:
                  p: {type: anthropic}
                """, "providers.p.api-key"));
        failure("""
                providers:
                  p: {type: anthropic, api-key: k, default-max-tokens: 0}
                """, "providers.p.default-max-tokens");
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
                admin:
                  token: "admin-SECRET-token-0123456789"
                """.formatted(CLIENT_KEY, PROVIDER_KEY));
        ProviderConfig provider = config.providers().get("openai");
        ApiKeyConfig key = config.auth().apiKeys().getFirst();
        for (Object value : List.of(config, provider, key, key.key(), provider.keys(),
                provider.keys().getFirst().secret(), config.auth(), config.admin())) {
            String text = value.toString();
            assertFalse(text.contains("SECRET"), text);
        }
        assertEquals("Secret[****]", key.key().toString());
        assertTrue(provider.toString().contains("keys=1"), provider.toString());
        assertEquals("ProviderKey[openai#0, sk-p…6789, weight=1]", provider.keys().getFirst().toString());
        assertTrue(config.toString().contains("openai"), "toString still says what is configured");
        // the secrets themselves are kept
        assertEquals(PROVIDER_KEY, provider.keys().getFirst().secret().reveal());
        assertEquals("admin-SECRET-token-0123456789", config.admin().token().orElseThrow().reveal());
        assertTrue(key.key().matches(CLIENT_KEY));
        assertFalse(key.key().matches(CLIENT_KEY + "x"));
    }

    @Test
    void severalApiKeysWithWeights() {
        ProviderConfig provider = load("""
                providers:
                  p:
                    type: openai
                    api-keys:
                      - sk-first-0123456789
                      - {key: sk-second-0123456789, weight: 3}
                      - {key: "sk-third-0123456789"}
                """).providers().get("p");
        assertEquals(List.of(new ProviderKey("p#0", Secret.of("sk-first-0123456789"), 1),
                new ProviderKey("p#1", Secret.of("sk-second-0123456789"), 3),
                new ProviderKey("p#2", Secret.of("sk-third-0123456789"), 1)), provider.keys());
    }

    @Test
    void apiKeyAndApiKeysTogether() {
        assertEquals("providers.x.api-keys: set either api-key or api-keys, not both", failure("""
                providers:
                  x: {type: openai, api-key: sk-one-0123456789, api-keys: [sk-two-0123456789]}
                """, "providers.x.api-keys"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "[{key: k1, weight: 0}]|providers.x.api-keys.0.weight: must be between 1 and 1000000, was 0",
            "[k1, {weight: 2}]|providers.x.api-keys.1.key: is required",
            "[k1, \"  \"]|providers.x.api-keys.1: is required",
            "k1|providers.x.api-keys: expected a list",
            "[\"${HIGRESS_TEST_SURELY_UNSET_KEY}\"]|providers.x.api-keys.0: refers to ${HIGRESS_TEST_SURELY_UNSET_KEY},"
                    + " which is not set (export it or remove the entry)"})
    void badApiKeys(String keys, String message) {
        ConfigException failure = assertThrows(ConfigException.class,
                () -> load("providers: {x: {type: openai, api-keys: " + keys + "}}"));
        assertEquals(message, failure.getMessage());
    }

    @Test
    void anEmptyApiKeysListNeedsAKeyForTheOpenAiPreset() {
        failure("providers: {x: {type: openai, api-keys: []}}", "providers.x.api-key");
        assertEquals(List.of(), load("providers: {x: {type: openai, preset: vllm, api-keys: []}}").providers()
                .get("x").keys());
    }

    @Test
    void capabilitiesPerProviderAndPerModel() {
        ProviderConfig provider = load("""
                providers:
                  p:
                    type: openai
                    preset: vllm
                    capabilities: {vision: false, json-mode: false}
                    models:
                      - plain
                      - {name: seeing, vision: true}
                      - {name: toolless, tools: false, streaming: false}
                """).providers().get("p");
        assertEquals(List.of("plain", "seeing", "toolless"), provider.models(), "objects are listed by name");
        assertEquals(new ModelCapabilities(true, false, false, true), provider.capabilities());
        assertEquals(provider.capabilities(), provider.capabilitiesOf("plain"));
        assertEquals(new ModelCapabilities(true, true, false, true), provider.capabilitiesOf("seeing"),
                "a model overrides only what it sets");
        assertEquals(new ModelCapabilities(false, false, false, false), provider.capabilitiesOf("toolless"));
        assertEquals(provider.capabilities(), provider.capabilitiesOf("unlisted"));
        assertEquals(ModelCapabilities.ALL, load("providers: {p: {type: openai, preset: vllm}}").providers().get("p")
                .capabilities(), "everything unless said otherwise");
    }

    @Test
    void reasoningEmbeddingsAndContextWindowAreCapabilities() {
        ProviderConfig provider = load("""
                providers:
                  p:
                    type: openai
                    preset: vllm
                    capabilities: {context-window: 32000}
                    models:
                      - plain
                      - {name: small, context-window: 8192, reasoning: false}
                      - {name: embedder, embeddings: true, context-window: 8191}
                """).providers().get("p");
        assertEquals(new ModelCapabilities(true, true, true, true, true, false, 32000),
                provider.capabilitiesOf("plain"));
        assertEquals(new ModelCapabilities(true, true, true, true, false, false, 8192),
                provider.capabilitiesOf("small"));
        assertTrue(provider.capabilitiesOf("embedder").embeddings());
        assertEquals(8191, provider.capabilitiesOf("embedder").contextWindow());
        ModelCapabilities defaults = load("providers: {p: {type: openai, preset: vllm}}").providers().get("p")
                .capabilities();
        assertTrue(defaults.reasoning(), "reasoning is assumed unless configured otherwise");
        assertFalse(defaults.embeddings(), "a model is a chat model unless it is marked as an embedding model");
        assertEquals(0, defaults.contextWindow(), "0: unknown, never skips a target");
        assertTrue(new ModelCapabilities(true, true, true, true, true, false, 100).tooSmallFor(90, 11));
        assertFalse(new ModelCapabilities(true, true, true, true, true, false, 100).tooSmallFor(90, 10));
        assertFalse(defaults.tooSmallFor(Long.MAX_VALUE / 2, 1), "an unknown window holds anything");
        assertEquals("providers.p.models.0.context-window: must be between 0 and 100000000, was -1", failure("""
                providers:
                  p: {type: openai, preset: vllm, models: [{name: m, context-window: -1}]}
                """, "providers.p.models.0.context-window"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "capabilities: {vision: sometimes}|providers.p.capabilities.vision: expected true or false, was 'sometimes'",
            "models: [a, {name: b, tools: nope}]|providers.p.models.1.tools: expected true or false, was 'nope'",
            "models: [a, {vision: true}]|providers.p.models.1.name: is required"})
    void badCapabilities(String yaml, String message) {
        ConfigException failure = assertThrows(ConfigException.class,
                () -> load("providers: {p: {type: openai, preset: vllm, " + yaml + "}}"));
        assertEquals(message, failure.getMessage());
    }

    private static final String TWO_PROVIDERS = """
            providers:
              a: {type: openai, preset: vllm}
              b: {type: openai, preset: vllm}
            """;

    @Test
    void targetPriorities() {
        GatewayConfig config = load(TWO_PROVIDERS + """
                models:
                  chat:
                    targets:
                      - {provider: a, model: m1, priority: 0}
                      - {provider: b, model: m2, priority: 100, weight: 2}
                      - {provider: b, model: m3}
                """);
        assertEquals(List.of(new TargetConfig("a", "m1", 1, 0), new TargetConfig("b", "m2", 2, 100),
                new TargetConfig("b", "m3", 1, 0)), config.models().get("chat").targets());
        assertEquals("models.chat.targets.1.priority: must be between 0 and 100, was 101", failure(TWO_PROVIDERS + """
                models:
                  chat: {targets: [{provider: a, model: m1}, {provider: b, model: m2, priority: 101}]}
                """, "models.chat.targets.1.priority"));
        assertEquals("models.chat.targets.0.priority: must be between 0 and 100, was -1", failure(TWO_PROVIDERS + """
                models:
                  chat: {targets: [{provider: a, model: m1, priority: -1}]}
                """, "models.chat.targets.0.priority"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "weighted|WEIGHTED", "latency|LATENCY", "least-busy|LEAST_BUSY", "priority|PRIORITY",
            "LEAST_BUSY|LEAST_BUSY"})
    void strategies(String value, Strategy strategy) {
        assertEquals(strategy, load(TWO_PROVIDERS + """
                models:
                  chat: {strategy: %s, targets: [{provider: a, model: m}]}
                """.formatted(value)).models().get("chat").strategy());
    }

    @Test
    void unknownStrategy() {
        assertEquals("models.chat.strategy: must be one of [weighted, latency, least-busy, priority], was 'fastest'",
                failure(TWO_PROVIDERS + """
                        models:
                          chat: {strategy: fastest, targets: [{provider: a, model: m}]}
                        """, "models.chat.strategy"));
    }

    @Test
    void fallbacks() {
        GatewayConfig config = load(TWO_PROVIDERS + """
                models:
                  a: {fallbacks: [b, c], targets: [{provider: a, model: m}]}
                  b: {fallbacks: [c], targets: [{provider: b, model: m}]}
                  c: {targets: [{provider: b, model: n}]}
                """);
        assertEquals(List.of("b", "c"), config.models().get("a").fallbacks());
        assertEquals(List.of("c"), config.models().get("b").fallbacks());
        assertEquals(List.of(), config.models().get("c").fallbacks());
    }

    @Test
    void aFallbackMustBeAnotherConfiguredModel() {
        assertEquals("models.a.fallbacks.1: names 'zzz', which is not another configured model",
                failure(TWO_PROVIDERS + """
                        models:
                          a: {fallbacks: [b, zzz], targets: [{provider: a, model: m}]}
                          b: {targets: [{provider: b, model: m}]}
                        """, "models.a.fallbacks.1"));
        assertEquals("models.a.fallbacks.0: names 'a', which is not another configured model",
                failure(TWO_PROVIDERS + """
                        models:
                          a: {fallbacks: [a], targets: [{provider: a, model: m}]}
                        """, "models.a.fallbacks.0"));
        // a provider/model id is no configured model either
        failure(TWO_PROVIDERS + """
                models:
                  a: {fallbacks: [b/m], targets: [{provider: a, model: m}]}
                """, "models.a.fallbacks.0");
    }

    @Test
    void fallbackCycles() {
        assertEquals("models.a.fallbacks: fallbacks form a cycle: a -> b -> a", failure(TWO_PROVIDERS + """
                models:
                  a: {fallbacks: [b], targets: [{provider: a, model: m}]}
                  b: {fallbacks: [a], targets: [{provider: b, model: m}]}
                """, "models.a.fallbacks"));
        assertEquals("models.a.fallbacks: fallbacks form a cycle: a -> c -> b -> a", failure(TWO_PROVIDERS + """
                models:
                  a: {fallbacks: [c], targets: [{provider: a, model: m}]}
                  b: {fallbacks: [a], targets: [{provider: b, model: m}]}
                  c: {fallbacks: [b], targets: [{provider: b, model: n}]}
                """, "models.a.fallbacks"));
    }

    @Test
    void aCycleFurtherDownTheChainNamesAModelInTheCycle() {
        // a leads into the cycle b -> c -> b but is not part of it; its own fallbacks are fine
        assertEquals("models.b.fallbacks: fallbacks form a cycle: b -> c -> b", failure(TWO_PROVIDERS + """
                models:
                  a: {fallbacks: [b], targets: [{provider: a, model: m}]}
                  b: {fallbacks: [c], targets: [{provider: b, model: m}]}
                  c: {fallbacks: [b], targets: [{provider: b, model: n}]}
                """, "models.b.fallbacks"));
    }

    @Test
    void aSharedFallbackIsNoCycle() {
        GatewayConfig config = load(TWO_PROVIDERS + """
                models:
                  a: {fallbacks: [b, c], targets: [{provider: a, model: m}]}
                  b: {fallbacks: [c], targets: [{provider: b, model: m}]}
                  c: {targets: [{provider: b, model: n}]}
                """);
        assertEquals(3, config.models().size());
    }

    @Test
    void hedging() {
        GatewayConfig config = load(TWO_PROVIDERS + """
                models:
                  fixed: {hedge: {after: PT1S}, targets: [{provider: a, model: m}]}
                  adaptive: {hedge: {after: p95, min-after: PT0.2S, max-ratio: 0.05}, targets: [{provider: a, model: m}]}
                  floor: {hedge: {after: P95}, targets: [{provider: a, model: m}]}
                  disabled: {hedge: {enabled: false, after: PT1S}, targets: [{provider: a, model: m}]}
                  plain: {targets: [{provider: a, model: m}]}
                """);
        assertEquals(new HedgeConfig(true, Duration.ofSeconds(1), false, 0.1), config.models().get("fixed").hedge());
        assertEquals(new HedgeConfig(true, Duration.ofMillis(200), true, 0.05),
                config.models().get("adaptive").hedge());
        assertEquals(new HedgeConfig(true, Duration.ofMillis(500), true, 0.1), config.models().get("floor").hedge(),
                "min-after defaults to 500 ms");
        assertFalse(config.models().get("disabled").hedge().enabled());
        assertEquals(HedgeConfig.DISABLED, config.models().get("plain").hedge());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{after: PT1S, max-ratio: 1.5}|models.m.hedge.max-ratio: must be between 0 and 1, was 1.5",
            "{after: PT1S, max-ratio: -0.1}|models.m.hedge.max-ratio: must be between 0 and 1, was -0.1",
            "{after: soon}|models.m.hedge.after: expected an ISO-8601 duration such as PT30S, was 'soon'",
            "{after: PT0S}|models.m.hedge.after: must be a positive duration, was PT0S",
            "{after: p95, min-after: 1s}|models.m.hedge.min-after: expected an ISO-8601 duration such as PT30S,"
                    + " was '1s'",
            "{after: PT1S, enabled: maybe}|models.m.hedge.enabled: expected true or false, was 'maybe'"})
    void badHedging(String hedge, String message) {
        ConfigException failure = assertThrows(ConfigException.class, () -> load(TWO_PROVIDERS + """
                models:
                  m: {hedge: %s, targets: [{provider: a, model: m}]}
                """.formatted(hedge)));
        assertEquals(message, failure.getMessage());
    }

    @Test
    void routingHealthAndRetry() {
        RoutingConfig routing = load("""
                routing:
                  health:
                    window: PT1M
                    min-requests: 20
                    error-ratio: 0.25
                    consecutive-failures: 3
                    cooldown: PT2S
                    max-cooldown: PT1M
                    jitter: 0
                    recovery: PT10S
                    rate-limit-cooldown: PT4S
                    auth-cooldown: PT30M
                    latency-decay: PT5S
                  retry:
                    budget-ratio: 0.5
                    budget-min-per-second: 0
                    budget-window: PT30S
                    backoff: PT0.1S
                    max-backoff: PT2S
                """).routing();
        assertEquals(new HealthConfig(Duration.ofMinutes(1), 20, 0.25, 3, Duration.ofSeconds(2), Duration.ofMinutes(1),
                0, Duration.ofSeconds(10), Duration.ofSeconds(4), Duration.ofMinutes(30), Duration.ofSeconds(5)),
                routing.health());
        assertEquals(new RetryConfig(0.5, 0, Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(2)),
                routing.retry());
        // max-cooldown equal to cooldown is allowed
        assertEquals(Duration.ofSeconds(5), load("routing: {health: {cooldown: PT5S, max-cooldown: PT5S}}").routing()
                .health().maxCooldown());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "health: {cooldown: PT10S, max-cooldown: PT5S}|routing.health.max-cooldown: must not be shorter than "
                    + "cooldown",
            "health: {max-cooldown: PT1S}|routing.health.max-cooldown: must not be shorter than cooldown",
            "health: {min-requests: 0}|routing.health.min-requests: must be between 1 and 1000000, was 0",
            "health: {error-ratio: 1.5}|routing.health.error-ratio: must be between 0 and 1, was 1.5",
            "health: {error-ratio: half}|routing.health.error-ratio: expected a number between 0 and 1",
            "health: {consecutive-failures: 0}|routing.health.consecutive-failures: must be between 1 and 1000, was 0",
            "health: {jitter: 2}|routing.health.jitter: must be between 0 and 1, was 2.0",
            "health: {window: PT0S}|routing.health.window: must be a positive duration, was PT0S",
            "health: {recovery: 30s}|routing.health.recovery: expected an ISO-8601 duration such as PT30S, was '30s'",
            "health: {auth-cooldown: -PT1S}|routing.health.auth-cooldown: must not be negative, was -PT1S",
            "retry: {budget-ratio: 1.1}|routing.retry.budget-ratio: must be between 0 and 1, was 1.1",
            "retry: {budget-min-per-second: -1}|routing.retry.budget-min-per-second: must be between 0 and 1000000,"
                    + " was -1",
            "retry: {budget-window: PT0S}|routing.retry.budget-window: must be a positive duration, was PT0S",
            "retry: {backoff: fast}|routing.retry.backoff: expected an ISO-8601 duration such as PT30S, was 'fast'"})
    void badRouting(String yaml, String message) {
        ConfigException failure = assertThrows(ConfigException.class, () -> load("routing: {" + yaml + "}"));
        assertEquals(message, failure.getMessage());
    }

    @Test
    void adminToken() {
        assertEquals("admin.token: must be at least 24 characters long",
                failure("admin: {token: \"0123456789abcdef0123456\"}", "admin.token"));
        AdminConfig admin = load("admin: {token: \"0123456789abcdef01234567\"}").admin();
        assertEquals(Optional.of(Secret.of("0123456789abcdef01234567")), admin.token(), "exactly 24 is enough");
        assertEquals(Optional.empty(), load("admin: {token: \"  \"}").admin().token(), "blank means none");
    }

    @Test
    void catalogDefaultsAndPerProviderOptOut() {
        CatalogConfig defaults = load("server: {port: 0}").catalog();
        assertTrue(defaults.discover());
        assertEquals(java.time.Duration.ofMinutes(5), defaults.refreshInterval());
        CatalogConfig catalog = load("""
                catalog: {discover: true, refresh-interval: PT30S}
                providers:
                  a: {type: openai, base-url: "http://127.0.0.1:9/v1", models: [m]}
                  b: {type: openai, base-url: "http://127.0.0.1:9/v1", models: [m], discover-models: false}
                """).catalog();
        assertEquals(java.time.Duration.ofSeconds(30), catalog.refreshInterval());
        assertTrue(catalog.discovers("a"));
        assertFalse(catalog.discovers("b"));
        assertFalse(load("catalog: {discover: false}").catalog().discovers("a"));
        failure("catalog: {refresh-interval: PT0.5S}", "catalog.refresh-interval");
    }
}
