package ai.higress;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.higress.config.AuthStyle;
import ai.higress.config.ConfigException;
import ai.higress.config.GatewayConfig;
import ai.higress.config.ModelCapabilities;
import ai.higress.config.ModelConfig;
import ai.higress.config.PathStyle;
import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderPreset;
import ai.higress.config.ProviderType;
import ai.higress.config.TargetConfig;
import ai.higress.mock.MockUpstream;
import ai.higress.mock.MockUpstreamConfig;

/**
 * The built-in demo providers: the mock upstream on its own loopback socket, reached in each protocol the gateway
 * speaks upstream. Provider {@code demo} speaks OpenAI (chat model {@code demo}, embedding model
 * {@code demo-embedding}); {@code demo-anthropic} speaks Anthropic Messages and {@code demo-gemini} Gemini, both
 * serving model {@code demo}, behind the logical models {@code demo-claude} and {@code demo-gemini}. The mock gives
 * the same answer in every protocol, so a newcomer sees translation at work by changing only the model name.
 */
final class DemoProvider {
    static final String PROVIDER = "demo";
    static final String ANTHROPIC_PROVIDER = "demo-anthropic";
    static final String GEMINI_PROVIDER = "demo-gemini";
    static final String MODEL = "demo";
    static final String EMBEDDING_MODEL = "demo-embedding";
    static final String CLAUDE_MODEL = "demo-claude";
    static final String GEMINI_MODEL = "demo-gemini";
    private static final List<String> PROVIDERS = List.of(PROVIDER, ANTHROPIC_PROVIDER, GEMINI_PROVIDER);
    private static final ModelCapabilities EMBEDDINGS = new ModelCapabilities(false, false, false, false, false, true,
            0);
    private static final int MAX_CONCURRENCY = 4096;

    private DemoProvider() {
    }

    /** Starts the mock when {@code demo.enabled}; returns it with the configuration that routes to it. */
    static Optional<Started> startIfEnabled(GatewayConfig config) {
        if (!config.demo().enabled()) {
            return Optional.empty();
        }
        for (String id : PROVIDERS) {
            if (config.providers().containsKey(id)) {
                throw new ConfigException("providers." + id,
                        "the name is reserved for the built-in demo providers while demo.enabled is true");
            }
        }
        MockUpstream mock = MockUpstream.start(MockUpstreamConfig.defaults()
                .withModels(List.of(MODEL, EMBEDDING_MODEL))
                .withFirstTokenDelay(config.demo().firstTokenDelay())
                .withTokenInterval(config.demo().tokenInterval()));
        GatewayConfig withDemo = config
                .withProvider(new ProviderConfig(PROVIDER, ProviderType.OPENAI, ProviderPreset.CUSTOM,
                        mock.baseUri(), List.of(), AuthStyle.NONE, PathStyle.STANDARD, "", Map.of(),
                        List.of(MODEL, EMBEDDING_MODEL), ModelCapabilities.ALL, Map.of(EMBEDDING_MODEL, EMBEDDINGS),
                        MAX_CONCURRENCY, true, config.timeouts()))
                .withProvider(chatOnly(config, ANTHROPIC_PROVIDER, ProviderType.ANTHROPIC, ProviderPreset.ANTHROPIC,
                        mock.baseUri(), ProviderConfig.DEFAULT_ANTHROPIC_VERSION))
                .withProvider(chatOnly(config, GEMINI_PROVIDER, ProviderType.GEMINI, ProviderPreset.GEMINI,
                        mock.geminiBaseUri(), ""))
                // The mock lists every model on every protocol: discovering the two translated providers would only
                // add ids such as demo-anthropic/demo-embedding to /v1/models.
                .withCatalog(config.catalog().optingOut(List.of(ANTHROPIC_PROVIDER, GEMINI_PROVIDER)));
        withDemo = withModel(withDemo, MODEL, PROVIDER, MODEL);
        withDemo = withModel(withDemo, EMBEDDING_MODEL, PROVIDER, EMBEDDING_MODEL);
        withDemo = withModel(withDemo, CLAUDE_MODEL, ANTHROPIC_PROVIDER, MODEL);
        withDemo = withModel(withDemo, GEMINI_MODEL, GEMINI_PROVIDER, MODEL);
        return Optional.of(new Started(mock, withDemo));
    }

    private static ProviderConfig chatOnly(GatewayConfig config, String id, ProviderType type, ProviderPreset preset,
                                           URI baseUrl, String apiVersion) {
        return new ProviderConfig(id, type, preset, baseUrl, List.of(), AuthStyle.NONE, PathStyle.STANDARD,
                apiVersion, Map.of(), List.of(MODEL), ModelCapabilities.ALL, Map.of(), MAX_CONCURRENCY,
                preset.streamOptionsSupported(), config.timeouts());
    }

    /** Adds logical model {@code name} unless the configuration already defines one by that name. */
    private static GatewayConfig withModel(GatewayConfig config, String name, String provider, String model) {
        if (config.models().containsKey(name)) {
            return config;
        }
        return config.withModel(new ModelConfig(name, List.of(new TargetConfig(provider, model, 1))));
    }

    /** A running demo upstream and the configuration that includes it. */
    record Started(MockUpstream mock, GatewayConfig config) {
    }
}
