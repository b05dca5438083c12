package ai.higress.config;

import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.config.Config;

/** The whole validated gateway configuration, built once at start-up from the merged config sources. */
public record GatewayConfig(ServerConfig server, AuthConfig auth, Map<String, ProviderConfig> providers,
                            Map<String, ModelConfig> models, LimitsConfig limits, TimeoutsConfig timeouts,
                            ObserveConfig observe, DemoConfig demo) {

    public GatewayConfig {
        providers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(providers));
        models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(models));
        validateTargets(providers, models);
    }

    /** Reads and validates everything under {@code root}; throws {@link ConfigException} naming the first bad key. */
    public static GatewayConfig create(Config root) {
        TimeoutsConfig timeouts = TimeoutsConfig.create(root.get("timeouts"), TimeoutsConfig.DEFAULTS);
        Map<String, ProviderConfig> providers = new LinkedHashMap<>();
        Nodes.children(root.get("providers"))
                .forEach((id, node) -> providers.put(id, ProviderConfig.create(id, node, timeouts)));
        Map<String, ModelConfig> models = new LinkedHashMap<>();
        Nodes.children(root.get("models")).forEach((name, node) -> models.put(name, ModelConfig.create(name, node)));
        return new GatewayConfig(ServerConfig.create(root.get("server")), AuthConfig.create(root.get("auth")),
                providers, models, LimitsConfig.create(root.get("limits")), timeouts,
                ObserveConfig.create(root.get("observe")), DemoConfig.create(root.get("demo"), !providers.isEmpty()));
    }

    public GatewayConfig withProvider(ProviderConfig provider) {
        Map<String, ProviderConfig> merged = new LinkedHashMap<>(providers);
        merged.put(provider.id(), provider);
        return new GatewayConfig(server, auth, merged, models, limits, timeouts, observe, demo);
    }

    public GatewayConfig withModel(ModelConfig model) {
        Map<String, ModelConfig> merged = new LinkedHashMap<>(models);
        merged.put(model.name(), model);
        return new GatewayConfig(server, auth, providers, merged, limits, timeouts, observe, demo);
    }

    public GatewayConfig withAuth(AuthConfig newAuth) {
        return new GatewayConfig(server, newAuth, providers, models, limits, timeouts, observe, demo);
    }

    private static void validateTargets(Map<String, ProviderConfig> providers, Map<String, ModelConfig> models) {
        models.forEach((name, model) -> {
            for (int i = 0; i < model.targets().size(); i++) {
                String provider = model.targets().get(i).provider();
                if (!providers.containsKey(provider)) {
                    throw new ConfigException("models." + name + ".targets." + i + ".provider",
                            "names unknown provider '" + provider + "' (known: " + providers.keySet() + ")");
                }
            }
        });
    }
}
