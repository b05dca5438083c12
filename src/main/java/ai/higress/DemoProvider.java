package ai.higress;

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
 * The built-in demo provider: the mock upstream on its own loopback socket, provider {@code demo}, chat model
 * {@code demo} and embedding model {@code demo-embedding}.
 */
final class DemoProvider {
    static final String PROVIDER = "demo";
    static final String MODEL = "demo";
    static final String EMBEDDING_MODEL = "demo-embedding";
    private static final ModelCapabilities EMBEDDINGS = new ModelCapabilities(false, false, false, false, false, true,
            0);

    private DemoProvider() {
    }

    /** Starts the mock when {@code demo.enabled}; returns it with the configuration that routes to it. */
    static Optional<Started> startIfEnabled(GatewayConfig config) {
        if (!config.demo().enabled()) {
            return Optional.empty();
        }
        if (config.providers().containsKey(PROVIDER)) {
            throw new ConfigException("providers." + PROVIDER,
                    "the name is reserved for the built-in demo provider while demo.enabled is true");
        }
        MockUpstream mock = MockUpstream.start(MockUpstreamConfig.defaults()
                .withModels(List.of(MODEL, EMBEDDING_MODEL))
                .withFirstTokenDelay(config.demo().firstTokenDelay())
                .withTokenInterval(config.demo().tokenInterval()));
        GatewayConfig withDemo = config.withProvider(new ProviderConfig(PROVIDER, ProviderType.OPENAI,
                ProviderPreset.CUSTOM, mock.baseUri(), List.of(), AuthStyle.NONE, PathStyle.STANDARD, "", Map.of(),
                List.of(MODEL, EMBEDDING_MODEL), ModelCapabilities.ALL, Map.of(EMBEDDING_MODEL, EMBEDDINGS), 4096,
                true, config.timeouts()));
        for (String model : List.of(MODEL, EMBEDDING_MODEL)) {
            if (!withDemo.models().containsKey(model)) {
                withDemo = withDemo.withModel(new ModelConfig(model, List.of(new TargetConfig(PROVIDER, model, 1))));
            }
        }
        return Optional.of(new Started(mock, withDemo));
    }

    /** A running demo upstream and the configuration that includes it. */
    record Started(MockUpstream mock, GatewayConfig config) {
    }
}
