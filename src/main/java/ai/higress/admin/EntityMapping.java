package ai.higress.admin;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import ai.higress.auth.SecretBox;
import ai.higress.config.AuthStyle;
import ai.higress.config.HedgeConfig;
import ai.higress.config.ModelCapabilities;
import ai.higress.config.ModelConfig;
import ai.higress.config.ModelPricing;
import ai.higress.config.PathStyle;
import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderKey;
import ai.higress.config.ProviderPreset;
import ai.higress.config.ProviderType;
import ai.higress.config.Secret;
import ai.higress.config.Strategy;
import ai.higress.config.TargetConfig;
import ai.higress.config.TimeoutsConfig;
import ai.higress.schema.Json;
import ai.higress.storage.LogicalModel;
import ai.higress.storage.ModelTarget;
import ai.higress.storage.Provider;
import ai.higress.storage.ProviderModel;
import ai.higress.storage.Source;
import ai.higress.storage.Status;
import ai.higress.storage.UpstreamKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Translates between the typed configuration records the router uses and the database rows. Provider credentials
 * are sealed with the {@link SecretBox} on the way in and opened on the way out; nothing else sees them.
 */
final class EntityMapping {

    private EntityMapping() {
    }

    static Provider providerRow(ProviderConfig provider, Source source, Status status) {
        return new Provider(provider.id(), name(provider.type()), provider.preset().configName(),
                provider.baseUrl().toString(), name(provider.authStyle()), name(provider.pathStyle()),
                provider.apiVersion(), provider.headers(), capabilities(provider.capabilities()),
                provider.maxConcurrency(), provider.streamUsage(), timeouts(provider.timeouts()),
                provider.defaultMaxTokens(), status, source);
    }

    static List<ProviderModel> modelRows(ProviderConfig provider) {
        List<ProviderModel> rows = new ArrayList<>();
        for (String model : provider.models()) {
            ModelCapabilities capabilities = provider.capabilitiesOf(model);
            ModelPricing pricing = provider.pricingOf(model);
            rows.add(new ProviderModel(provider.id(), model, capabilities.tools(), capabilities.vision(),
                    capabilities.jsonMode(), capabilities.streaming(), capabilities.reasoning(),
                    capabilities.embeddings(), contextWindow(capabilities), pricing.inputPerMillion(),
                    pricing.outputPerMillion(), pricing.cachedPerMillion()));
        }
        return rows;
    }

    static UpstreamKey keyRow(String id, String providerId, ProviderKey key, SecretBox box) {
        return new UpstreamKey(id, providerId, box.seal(key.secret().reveal()), key.secret().hint(), key.weight(),
                Status.ACTIVE);
    }

    /** The routable configuration of a database-managed provider; only active keys are used. */
    static ProviderConfig providerConfig(Provider row, List<UpstreamKey> keys, List<ProviderModel> models,
                                         SecretBox box, TimeoutsConfig globalTimeouts) {
        List<ProviderKey> active = new ArrayList<>();
        for (UpstreamKey key : keys) {
            if (key.status() == Status.ACTIVE) {
                active.add(new ProviderKey(key.id(), Secret.of(box.open(key.ciphertext())), key.weight()));
            }
        }
        ModelCapabilities defaults = capabilities(row.capabilities(), ModelCapabilities.ALL);
        List<String> names = new ArrayList<>();
        Map<String, ModelCapabilities> perModel = new LinkedHashMap<>();
        Map<String, ModelPricing> pricing = new LinkedHashMap<>();
        for (ProviderModel model : models) {
            names.add(model.model());
            perModel.put(model.model(), new ModelCapabilities(model.tools(), model.vision(), model.jsonMode(),
                    model.streaming(), model.reasoning(), model.embeddings(), model.contextWindow().orElse(0)));
            pricing.put(model.model(), new ModelPricing(model.inputPricePerMtok(), model.outputPricePerMtok(),
                    model.cachedPricePerMtok()));
        }
        return new ProviderConfig(row.id(), enumValue(ProviderType.class, row.type()),
                enumValue(ProviderPreset.class, row.preset()), URI.create(row.baseUrl()), active,
                enumValue(AuthStyle.class, row.authStyle()), enumValue(PathStyle.class, row.pathStyle()),
                row.apiVersion(), row.headers(), names, defaults, perModel, pricing, row.maxConcurrency(),
                row.streamUsage(), timeouts(row.timeouts(), globalTimeouts), row.defaultMaxTokens());
    }

    static LogicalModel modelRow(ModelConfig model, Source source) {
        List<ModelTarget> targets = new ArrayList<>();
        for (TargetConfig target : model.targets()) {
            targets.add(new ModelTarget(target.provider(), target.model(), target.weight(), target.priority()));
        }
        return new LogicalModel(model.name(), name(model.strategy()), model.fallbacks(), hedge(model.hedge()), source,
                targets);
    }

    static ModelConfig modelConfig(LogicalModel row) {
        List<TargetConfig> targets = new ArrayList<>();
        for (ModelTarget target : row.targets()) {
            targets.add(new TargetConfig(target.providerId(), target.upstreamModel(), target.weight(),
                    target.priority()));
        }
        return new ModelConfig(row.name(), targets, enumValue(Strategy.class, row.strategy()), row.fallbacks(),
                hedge(row.hedge()));
    }

    private static ObjectNode capabilities(ModelCapabilities capabilities) {
        ObjectNode node = Json.object();
        node.put("tools", capabilities.tools());
        node.put("vision", capabilities.vision());
        node.put("json_mode", capabilities.jsonMode());
        node.put("streaming", capabilities.streaming());
        node.put("reasoning", capabilities.reasoning());
        node.put("embeddings", capabilities.embeddings());
        node.put("context_window", capabilities.contextWindow());
        return node;
    }

    private static ModelCapabilities capabilities(JsonNode node, ModelCapabilities defaults) {
        return new ModelCapabilities(node.path("tools").asBoolean(defaults.tools()),
                node.path("vision").asBoolean(defaults.vision()), node.path("json_mode").asBoolean(defaults.jsonMode()),
                node.path("streaming").asBoolean(defaults.streaming()),
                node.path("reasoning").asBoolean(defaults.reasoning()),
                node.path("embeddings").asBoolean(defaults.embeddings()),
                node.path("context_window").asInt(defaults.contextWindow()));
    }

    /** The catalog's form of a context window: absent when unknown (0). */
    static Optional<Integer> contextWindow(ModelCapabilities capabilities) {
        return capabilities.contextWindow() > 0 ? Optional.of(capabilities.contextWindow()) : Optional.empty();
    }

    private static ObjectNode timeouts(TimeoutsConfig timeouts) {
        ObjectNode node = Json.object();
        node.put("connect", timeouts.connect().toString());
        node.put("first_token", timeouts.firstToken().toString());
        node.put("idle", timeouts.idle().toString());
        node.put("request", timeouts.request().toString());
        node.put("stream", timeouts.stream().toString());
        node.put("attempt", timeouts.attempt().toString());
        return node;
    }

    private static TimeoutsConfig timeouts(JsonNode node, TimeoutsConfig defaults) {
        return new TimeoutsConfig(duration(node, "connect", defaults.connect()),
                duration(node, "first_token", defaults.firstToken()), duration(node, "idle", defaults.idle()),
                duration(node, "request", defaults.request()), duration(node, "stream", defaults.stream()),
                duration(node, "attempt", defaults.attempt()));
    }

    private static ObjectNode hedge(HedgeConfig hedge) {
        ObjectNode node = Json.object();
        node.put("enabled", hedge.enabled());
        node.put("after", hedge.after().toString());
        node.put("adaptive", hedge.adaptive());
        node.put("max_ratio", hedge.maxRatio());
        return node;
    }

    private static HedgeConfig hedge(JsonNode node) {
        if (!node.path("enabled").asBoolean(false)) {
            return HedgeConfig.DISABLED;
        }
        return new HedgeConfig(true, duration(node, "after", Duration.ofSeconds(2)),
                node.path("adaptive").asBoolean(false), node.path("max_ratio").asDouble(0.1));
    }

    private static Duration duration(JsonNode node, String field, Duration defaultValue) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? defaultValue : Duration.parse(value.asText());
    }

    static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String text) {
        return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    static BigDecimal orZero(Optional<BigDecimal> value) {
        return value.orElse(BigDecimal.ZERO);
    }
}
