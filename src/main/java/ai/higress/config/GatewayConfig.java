package ai.higress.config;

import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.config.Config;

/** The whole validated gateway configuration, built once at start-up from the merged config sources. */
public record GatewayConfig(ServerConfig server, AuthConfig auth, Map<String, ProviderConfig> providers,
                            Map<String, ModelConfig> models, LimitsConfig limits, TimeoutsConfig timeouts,
                            RoutingConfig routing, AdminConfig admin, ObserveConfig observe, DemoConfig demo,
                            DatabaseConfig database, ControlPlaneConfig controlPlane, UsageConfig usage,
                            RedisConfig redis, RateLimitConfig rateLimits, SessionConfig sessions,
                            CatalogConfig catalog, ResponsesConfig responses) {

    public GatewayConfig {
        providers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(providers));
        models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(models));
        validateTargets(providers, models);
    }

    /** A configuration without Redis and with the default rate-limit settings. */
    public GatewayConfig(ServerConfig server, AuthConfig auth, Map<String, ProviderConfig> providers,
                         Map<String, ModelConfig> models, LimitsConfig limits, TimeoutsConfig timeouts,
                         RoutingConfig routing, AdminConfig admin, ObserveConfig observe, DemoConfig demo,
                         DatabaseConfig database, ControlPlaneConfig controlPlane, UsageConfig usage) {
        this(server, auth, providers, models, limits, timeouts, routing, admin, observe, demo, database, controlPlane,
                usage, RedisConfig.NONE, RateLimitConfig.DEFAULTS, SessionConfig.DEFAULTS, CatalogConfig.DEFAULTS,
                ResponsesConfig.DEFAULTS);
    }

    /** Reads and validates everything under {@code root}; throws {@link ConfigException} naming the first bad key. */
    public static GatewayConfig create(Config root) {
        TimeoutsConfig timeouts = TimeoutsConfig.create(root.get("timeouts"), TimeoutsConfig.DEFAULTS);
        Map<String, ProviderConfig> providers = new LinkedHashMap<>();
        Nodes.namedEntries(root.get("providers"))
                .forEach((id, node) -> providers.put(id, ProviderConfig.create(id, node, timeouts)));
        Map<String, ModelConfig> models = new LinkedHashMap<>();
        Nodes.namedEntries(root.get("models")).forEach((name, node) -> models.put(name, ModelConfig.create(name, node)));
        return new GatewayConfig(ServerConfig.create(root.get("server")), AuthConfig.create(root.get("auth")),
                providers, models, LimitsConfig.create(root.get("limits")), timeouts,
                RoutingConfig.create(root.get("routing")), AdminConfig.create(root.get("admin")),
                ObserveConfig.create(root.get("observe")),
                DemoConfig.create(root.get("demo"), !providers.isEmpty()),
                DatabaseConfig.create(root.get("database"), root.get("ENABLE_AUTO_MIGRATION")),
                ControlPlaneConfig.create(root.get("control-plane")), UsageConfig.create(root.get("usage")),
                RedisConfig.create(root.get("redis")), RateLimitConfig.create(root.get("rate-limits")),
                SessionConfig.create(root.get("sessions")),
                CatalogConfig.create(root.get("catalog"), root.get("providers")),
                ResponsesConfig.create(root.get("responses")));
    }

    /** This configuration with another set of providers and logical models (file and database entities merged). */
    public GatewayConfig withEntities(Map<String, ProviderConfig> newProviders, Map<String, ModelConfig> newModels) {
        return new GatewayConfig(server, auth, newProviders, newModels, limits, timeouts, routing, admin, observe, demo,
                database, controlPlane, usage, redis, rateLimits, sessions, catalog, responses);
    }

    public GatewayConfig withProvider(ProviderConfig provider) {
        Map<String, ProviderConfig> merged = new LinkedHashMap<>(providers);
        merged.put(provider.id(), provider);
        return new GatewayConfig(server, auth, merged, models, limits, timeouts, routing, admin, observe, demo,
                database, controlPlane, usage, redis, rateLimits, sessions, catalog, responses);
    }

    public GatewayConfig withModel(ModelConfig model) {
        Map<String, ModelConfig> merged = new LinkedHashMap<>(models);
        merged.put(model.name(), model);
        return new GatewayConfig(server, auth, providers, merged, limits, timeouts, routing, admin, observe, demo,
                database, controlPlane, usage, redis, rateLimits, sessions, catalog, responses);
    }

    public GatewayConfig withAdmin(AdminConfig newAdmin) {
        return new GatewayConfig(server, auth, providers, models, limits, timeouts, routing, newAdmin, observe, demo,
                database, controlPlane, usage, redis, rateLimits, sessions, catalog, responses);
    }

    public GatewayConfig withAuth(AuthConfig newAuth) {
        return new GatewayConfig(server, newAuth, providers, models, limits, timeouts, routing, admin, observe, demo,
                database, controlPlane, usage, redis, rateLimits, sessions, catalog, responses);
    }

    public GatewayConfig withCatalog(CatalogConfig newCatalog) {
        return new GatewayConfig(server, auth, providers, models, limits, timeouts, routing, admin, observe, demo,
                database, controlPlane, usage, redis, rateLimits, sessions, newCatalog, responses);
    }

    public GatewayConfig withDatabase(DatabaseConfig newDatabase) {
        return new GatewayConfig(server, auth, providers, models, limits, timeouts, routing, admin, observe, demo,
                newDatabase, controlPlane, usage, redis, rateLimits, sessions, catalog, responses);
    }

    private static void validateTargets(Map<String, ProviderConfig> providers, Map<String, ModelConfig> models) {
        models.forEach((name, model) -> {
            for (int i = 0; i < model.fallbacks().size(); i++) {
                String fallback = model.fallbacks().get(i);
                if (!models.containsKey(fallback) || fallback.equals(name)) {
                    throw new ConfigException("models." + name + ".fallbacks." + i,
                            "names '" + fallback + "', which is not another configured model");
                }
            }
            detectFallbackCycle(models, name, new java.util.ArrayDeque<>());
            for (int i = 0; i < model.targets().size(); i++) {
                String provider = model.targets().get(i).provider();
                if (!providers.containsKey(provider)) {
                    throw new ConfigException("models." + name + ".targets." + i + ".provider",
                            "names unknown provider '" + provider + "' (known: " + providers.keySet() + ")");
                }
            }
        });
    }

    private static void detectFallbackCycle(Map<String, ModelConfig> models, String name,
                                            java.util.Deque<String> path) {
        if (path.contains(name)) {
            // name the model that starts the cycle, not the one the search started from (which may only lead to it)
            java.util.List<String> walked = new java.util.ArrayList<>(path.reversed());
            java.util.List<String> cycle = walked.subList(walked.indexOf(name), walked.size());
            throw new ConfigException("models." + name + ".fallbacks",
                    "fallbacks form a cycle: " + String.join(" -> ", cycle) + " -> " + name);
        }
        path.push(name);
        for (String fallback : models.get(name).fallbacks()) {
            if (models.containsKey(fallback)) {
                detectFallbackCycle(models, fallback, path);
            }
        }
        path.pop();
    }
}
