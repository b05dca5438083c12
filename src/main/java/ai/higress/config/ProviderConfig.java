package ai.higress.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.helidon.config.Config;

/**
 * One upstream provider.
 *
 * @param id                 the provider's name in configuration and in {@code provider/model} ids
 * @param type               the wire protocol
 * @param preset             the vendor preset that filled the defaults
 * @param baseUrl            URL that request paths are appended to, e.g. {@code https://api.openai.com/v1}
 * @param keys               upstream credentials (none for keyless local servers); each is cooled on its own
 * @param authStyle          how a credential is sent
 * @param pathStyle          how request paths are formed
 * @param apiVersion         Azure's {@code api-version} query value, or the {@code anthropic-version} header of an
 *                           Anthropic provider (empty otherwise)
 * @param headers            extra static headers sent upstream (e.g. OpenRouter's {@code HTTP-Referer})
 * @param models             upstream model names this provider serves (bare-name routing and {@code /v1/models})
 * @param capabilities       what the provider's models can do, unless overridden per model
 * @param modelCapabilities  per-model overrides of {@code capabilities}
 * @param pricing            per-model prices (models without an entry cost nothing)
 * @param maxConcurrency     most requests in flight to this provider at once, across replicas when Redis is shared
 *                           (see {@link #DEFAULT_MAX_CONCURRENCY}); a target at its cap is skipped as busy
 * @param streamUsage        ask for {@code stream_options.include_usage} on streams
 * @param timeouts           this provider's timeouts (the global ones unless overridden)
 * @param defaultMaxTokens   the output limit sent when the client sets none, for protocols that require one
 *                           (Anthropic)
 * @param responsesApi       the provider serves the Responses API ({@code POST /responses}) itself: Responses clients
 *                           are relayed to it untouched instead of translated to chat completions
 * @param aliases            the names clients use for some of {@code models} ({@code models[].alias}), alias to
 *                           upstream name: the alias is listed and routed, the upstream name is sent
 * @param maxTokensParam     the name under which an OpenAI-compatible vendor takes the output limit
 */
public record ProviderConfig(String id, ProviderType type, ProviderPreset preset, URI baseUrl, List<ProviderKey> keys,
                             AuthStyle authStyle, PathStyle pathStyle, String apiVersion, Map<String, String> headers,
                             List<String> models, ModelCapabilities capabilities,
                             Map<String, ModelCapabilities> modelCapabilities, Map<String, ModelPricing> pricing,
                             int maxConcurrency, boolean streamUsage, TimeoutsConfig timeouts,
                             int defaultMaxTokens, boolean responsesApi, Map<String, String> aliases,
                             MaxTokensParam maxTokensParam) {
    /**
     * The cap of a provider that sets none. It is held in this process only: a cap below it (or a key's own cap) is
     * what makes the gateway hold leases in Redis, so providers nobody capped cost no Redis call per attempt.
     */
    public static final int DEFAULT_MAX_CONCURRENCY = 4096;
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final String DEFAULT_AZURE_API_VERSION = "2024-10-21";
    /** The {@code anthropic-version} header an Anthropic provider sends unless configured otherwise. */
    public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";
    /** The output limit sent to protocols that require one when neither client nor configuration set it. */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    public ProviderConfig {
        keys = List.copyOf(keys);
        headers = Map.copyOf(headers);
        models = List.copyOf(models);
        modelCapabilities = Map.copyOf(modelCapabilities);
        pricing = Map.copyOf(pricing);
        aliases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
    }

    /** A provider without model aliases. */
    public ProviderConfig(String id, ProviderType type, ProviderPreset preset, URI baseUrl, List<ProviderKey> keys,
                          AuthStyle authStyle, PathStyle pathStyle, String apiVersion, Map<String, String> headers,
                          List<String> models, ModelCapabilities capabilities,
                          Map<String, ModelCapabilities> modelCapabilities, Map<String, ModelPricing> pricing,
                          int maxConcurrency, boolean streamUsage, TimeoutsConfig timeouts, int defaultMaxTokens,
                          boolean responsesApi) {
        this(id, type, preset, baseUrl, keys, authStyle, pathStyle, apiVersion, headers, models, capabilities,
                modelCapabilities, pricing, maxConcurrency, streamUsage, timeouts, defaultMaxTokens, responsesApi,
                Map.of());
    }

    /** A provider whose output-limit name is its preset's. */
    public ProviderConfig(String id, ProviderType type, ProviderPreset preset, URI baseUrl, List<ProviderKey> keys,
                          AuthStyle authStyle, PathStyle pathStyle, String apiVersion, Map<String, String> headers,
                          List<String> models, ModelCapabilities capabilities,
                          Map<String, ModelCapabilities> modelCapabilities, Map<String, ModelPricing> pricing,
                          int maxConcurrency, boolean streamUsage, TimeoutsConfig timeouts, int defaultMaxTokens,
                          boolean responsesApi, Map<String, String> aliases) {
        this(id, type, preset, baseUrl, keys, authStyle, pathStyle, apiVersion, headers, models, capabilities,
                modelCapabilities, pricing, maxConcurrency, streamUsage, timeouts, defaultMaxTokens, responsesApi,
                aliases, preset.maxTokensParam());
    }

    /** The name sent upstream for a model a client or a logical model names: its alias resolved, or itself. */
    public String upstreamName(String model) {
        return aliases.getOrDefault(model, model);
    }

    /**
     * The names {@code /v1/models} lists for this provider, in configured order: each model under its alias when it
     * has one (the upstream name stays hidden), else under its own name.
     */
    public List<String> listedModels() {
        Map<String, String> byUpstream = new LinkedHashMap<>();
        aliases.forEach((alias, upstream) -> byUpstream.putIfAbsent(upstream, alias));
        List<String> listed = new ArrayList<>();
        models.forEach(model -> listed.add(byUpstream.getOrDefault(model, model)));
        return List.copyOf(listed);
    }

    /** Whether an upstream name is hidden behind an alias (so a discovered list must not show it either). */
    public boolean hidden(String upstreamModel) {
        return aliases.containsValue(upstreamModel);
    }

    /**
     * A provider with the default output limit whose Responses API support is its preset's (entities from the
     * database, the demo provider).
     */
    public ProviderConfig(String id, ProviderType type, ProviderPreset preset, URI baseUrl, List<ProviderKey> keys,
                          AuthStyle authStyle, PathStyle pathStyle, String apiVersion, Map<String, String> headers,
                          List<String> models, ModelCapabilities capabilities,
                          Map<String, ModelCapabilities> modelCapabilities, Map<String, ModelPricing> pricing,
                          int maxConcurrency, boolean streamUsage, TimeoutsConfig timeouts) {
        this(id, type, preset, baseUrl, keys, authStyle, pathStyle, apiVersion, headers, models, capabilities,
                modelCapabilities, pricing, maxConcurrency, streamUsage, timeouts, DEFAULT_MAX_TOKENS);
    }

    /** A provider whose Responses API support is its preset's. */
    public ProviderConfig(String id, ProviderType type, ProviderPreset preset, URI baseUrl, List<ProviderKey> keys,
                          AuthStyle authStyle, PathStyle pathStyle, String apiVersion, Map<String, String> headers,
                          List<String> models, ModelCapabilities capabilities,
                          Map<String, ModelCapabilities> modelCapabilities, Map<String, ModelPricing> pricing,
                          int maxConcurrency, boolean streamUsage, TimeoutsConfig timeouts, int defaultMaxTokens) {
        this(id, type, preset, baseUrl, keys, authStyle, pathStyle, apiVersion, headers, models, capabilities,
                modelCapabilities, pricing, maxConcurrency, streamUsage, timeouts, defaultMaxTokens,
                preset.responsesApi() && pathStyle == PathStyle.STANDARD);
    }

    /** A provider without per-model prices. */
    public ProviderConfig(String id, ProviderType type, ProviderPreset preset, URI baseUrl, List<ProviderKey> keys,
                          AuthStyle authStyle, PathStyle pathStyle, String apiVersion, Map<String, String> headers,
                          List<String> models, ModelCapabilities capabilities,
                          Map<String, ModelCapabilities> modelCapabilities, int maxConcurrency, boolean streamUsage,
                          TimeoutsConfig timeouts) {
        this(id, type, preset, baseUrl, keys, authStyle, pathStyle, apiVersion, headers, models, capabilities,
                modelCapabilities, Map.of(), maxConcurrency, streamUsage, timeouts);
    }

    /** What {@code model} costs from this provider. */
    public ModelPricing pricingOf(String model) {
        return pricing.getOrDefault(model, ModelPricing.FREE);
    }

    /** What {@code model} served by this provider can do. */
    public ModelCapabilities capabilitiesOf(String model) {
        return modelCapabilities.getOrDefault(model, capabilities);
    }

    public static ProviderConfig create(String id, Config node, TimeoutsConfig globalTimeouts) {
        String prefix = "providers." + id;
        if (!ID.matcher(id).matches()) {
            throw new ConfigException(prefix, "provider ids use lower-case letters, digits, '-' and '_' (max 63)");
        }
        if (!node.get("type").exists()) {
            throw new ConfigException(prefix + ".type", "is required (supported: openai, anthropic, gemini)");
        }
        ProviderType type = Nodes.enumValue(node.get("type"), ProviderType.class, ProviderType.OPENAI);
        ProviderPreset preset = preset(prefix, type, node);
        URI baseUrl = Nodes.httpUri(node.get("base-url")).or(preset::baseUrl).orElseThrow(
                () -> new ConfigException(prefix + ".base-url", "is required for preset " + preset.configName()));
        List<ProviderKey> keys = keys(id, node);
        AuthStyle authStyle = Nodes.enumValue(node.get("auth-style"), AuthStyle.class, preset.authStyle());
        if (keys.isEmpty() && preset.apiKeyRequired() && authStyle != AuthStyle.NONE) {
            throw new ConfigException(prefix + ".api-key", "is required for preset " + preset.configName());
        }
        PathStyle pathStyle = Nodes.enumValue(node.get("path-style"), PathStyle.class, preset.pathStyle());
        String apiVersion = apiVersion(type, pathStyle, node);
        ModelCapabilities capabilities = ModelCapabilities.create(node.get("capabilities"), ModelCapabilities.ALL);
        List<String> models = new ArrayList<>();
        Map<String, ModelCapabilities> perModel = new LinkedHashMap<>();
        Map<String, ModelPricing> pricing = new LinkedHashMap<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        for (Config item : Nodes.listItems(node.get("models"))) {
            if (item.isLeaf()) {
                models.add(Nodes.requiredString(item));
            } else {
                String name = Nodes.requiredString(item.get("name"));
                models.add(name);
                perModel.put(name, ModelCapabilities.create(item, capabilities));
                pricing.put(name, ModelPricing.create(item));
                Nodes.optionalString(item.get("alias")).ifPresent(alias -> {
                    if (aliases.put(alias, name) != null) {
                        throw new ConfigException(Nodes.key(item.get("alias")), "alias '" + alias + "' is used twice");
                    }
                });
            }
        }
        for (String alias : aliases.keySet()) {
            if (models.contains(alias)) {
                throw new ConfigException(prefix + ".models", "alias '" + alias + "' is also the name of a model of "
                        + "this provider: one name would mean two models");
            }
        }
        return new ProviderConfig(id, type, preset, stripTrailingSlash(baseUrl), keys, authStyle, pathStyle,
                apiVersion, Nodes.stringMap(node.get("headers")), models, capabilities, perModel, pricing,
                Nodes.integer(node.get("max-concurrency"), DEFAULT_MAX_CONCURRENCY, 1, 100_000),
                Nodes.bool(node.get("stream-usage"), preset.streamOptionsSupported()),
                TimeoutsConfig.create(node.get("timeouts"), globalTimeouts),
                Nodes.integer(node.get("default-max-tokens"), DEFAULT_MAX_TOKENS, 1, 1_000_000),
                responsesApi(node, preset, pathStyle), aliases,
                Nodes.enumValue(node.get("max-tokens-param"), MaxTokensParam.class, preset.maxTokensParam()));
    }

    private static String apiVersion(ProviderType type, PathStyle pathStyle, Config node) {
        if (type == ProviderType.ANTHROPIC) {
            return Nodes.string(node.get("api-version"), DEFAULT_ANTHROPIC_VERSION);
        }
        return pathStyle == PathStyle.AZURE_DEPLOYMENT
                ? Nodes.string(node.get("api-version"), DEFAULT_AZURE_API_VERSION) : "";
    }

    private static boolean responsesApi(Config node, ProviderPreset preset, PathStyle pathStyle) {
        boolean standard = pathStyle == PathStyle.STANDARD;
        boolean enabled = Nodes.bool(node.get("responses-api"), preset.responsesApi() && standard);
        if (enabled && !standard) {
            // Azure's Responses API lives under another path scheme than its deployment-style chat completions
            throw new ConfigException(Nodes.key(node.get("responses-api")),
                    "is only supported with path-style standard");
        }
        return enabled;
    }

    private static List<ProviderKey> keys(String id, Config node) {
        boolean single = node.get("api-key").exists();
        boolean several = node.get("api-keys").exists();
        if (single && several) {
            throw new ConfigException("providers." + id + ".api-keys", "set either api-key or api-keys, not both");
        }
        List<ProviderKey> keys = new ArrayList<>();
        if (single) {
            Nodes.optionalString(node.get("api-key"))
                    .ifPresent(key -> keys.add(new ProviderKey(id + "#0", Secret.of(key), 1)));
        }
        List<Config> items = Nodes.listItems(node.get("api-keys"));
        for (int i = 0; i < items.size(); i++) {
            Config item = items.get(i);
            String key = item.isLeaf() ? Nodes.requiredString(item) : Nodes.requiredString(item.get("key"));
            int weight = item.isLeaf() ? 1 : Nodes.integer(item.get("weight"), 1, 1, 1_000_000);
            int cap = item.isLeaf() ? 0 : Nodes.integer(item.get("max-concurrency"), 0, 1, 100_000);
            keys.add(new ProviderKey(id + "#" + i, Secret.of(key), weight, cap));
        }
        return keys;
    }

    /** The preset named (or implied) for {@code type}; a preset of another protocol is refused. */
    private static ProviderPreset preset(String prefix, ProviderType type, Config node) {
        ProviderPreset preset = Nodes.enumValue(node.get("preset"), ProviderPreset.class, defaultPreset(type, node));
        if (preset.type() != type) {
            throw new ConfigException(prefix + ".preset", "preset " + preset.configName() + " is for type "
                    + preset.type().name().toLowerCase() + ", not " + type.name().toLowerCase());
        }
        return preset;
    }

    private static ProviderPreset defaultPreset(ProviderType type, Config node) {
        if (type == ProviderType.ANTHROPIC) {
            return ProviderPreset.ANTHROPIC;
        }
        if (type == ProviderType.GEMINI) {
            return ProviderPreset.GEMINI;
        }
        return node.get("base-url").exists() ? ProviderPreset.CUSTOM : ProviderPreset.OPENAI;
    }

    private static URI stripTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
    }

    @Override
    public String toString() {
        return "ProviderConfig[id=" + id + ", type=" + type + ", preset=" + preset + ", baseUrl=" + baseUrl
                + ", keys=" + keys.size() + ", models=" + models + ", responsesApi=" + responsesApi
                + ", maxTokensParam=" + maxTokensParam + "]";
    }
}
