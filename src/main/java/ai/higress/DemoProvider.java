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

/** The built-in demo provider: the mock upstream on its own loopback socket, provider {@code demo}, model {@code demo}. */
final class DemoProvider {
    static final String PROVIDER = "demo";
    static final String MODEL = "demo";

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
                .withFirstTokenDelay(config.demo().firstTokenDelay())
                .withTokenInterval(config.demo().tokenInterval()));
        GatewayConfig withDemo = config.withProvider(new ProviderConfig(PROVIDER, ProviderType.OPENAI,
                ProviderPreset.CUSTOM, mock.baseUri(), List.of(), AuthStyle.NONE, PathStyle.STANDARD, "", Map.of(),
                List.of(MODEL), ModelCapabilities.ALL, Map.of(), 4096, true, config.timeouts()));
        if (!withDemo.models().containsKey(MODEL)) {
            withDemo = withDemo.withModel(new ModelConfig(MODEL, List.of(new TargetConfig(PROVIDER, MODEL, 1))));
        }
        return Optional.of(new Started(mock, withDemo));
    }

    /** A running demo upstream and the configuration that includes it. */
    record Started(MockUpstream mock, GatewayConfig config) {
    }
}
