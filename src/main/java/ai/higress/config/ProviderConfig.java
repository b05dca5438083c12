package ai.higress.config;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.config.Config;

/**
 * One upstream provider.
 *
 * @param id             the provider's name in configuration and in {@code provider/model} ids
 * @param type           the wire protocol
 * @param preset         the vendor preset that filled the defaults
 * @param baseUrl        URL that request paths are appended to, e.g. {@code https://api.openai.com/v1}
 * @param apiKey         the upstream credential, if any
 * @param authStyle      how the credential is sent
 * @param pathStyle      how request paths are formed
 * @param apiVersion     Azure's {@code api-version} query value (empty for other styles)
 * @param headers        extra static headers sent upstream (e.g. OpenRouter's {@code HTTP-Referer})
 * @param models         upstream model names this provider serves (used for bare-name routing and {@code /v1/models})
 * @param maxConcurrency most requests in flight to this provider at once; more wait briefly, then fail over
 * @param streamUsage    ask for {@code stream_options.include_usage} on streams
 * @param timeouts       this provider's timeouts (the global ones unless overridden)
 */
public record ProviderConfig(String id, ProviderType type, ProviderPreset preset, URI baseUrl, Optional<Secret> apiKey,
                             AuthStyle authStyle, PathStyle pathStyle, String apiVersion, Map<String, String> headers,
                             List<String> models, int maxConcurrency, boolean streamUsage, TimeoutsConfig timeouts) {
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final String DEFAULT_AZURE_API_VERSION = "2024-10-21";

    public ProviderConfig {
        headers = Map.copyOf(headers);
        models = List.copyOf(models);
    }

    static ProviderConfig create(String id, Config node, TimeoutsConfig globalTimeouts) {
        String prefix = "providers." + id;
        if (!ID.matcher(id).matches()) {
            throw new ConfigException(prefix, "provider ids use lower-case letters, digits, '-' and '_' (max 63)");
        }
        if (!node.get("type").exists()) {
            throw new ConfigException(prefix + ".type", "is required (supported: openai)");
        }
        ProviderType type = Nodes.enumValue(node.get("type"), ProviderType.class, ProviderType.OPENAI);
        ProviderPreset preset = Nodes.enumValue(node.get("preset"), ProviderPreset.class, defaultPreset(node));
        URI baseUrl = Nodes.httpUri(node.get("base-url")).or(preset::baseUrl).orElseThrow(
                () -> new ConfigException(prefix + ".base-url", "is required for preset " + preset.configName()));
        Optional<Secret> apiKey = Nodes.optionalString(node.get("api-key")).map(Secret::of);
        AuthStyle authStyle = Nodes.enumValue(node.get("auth-style"), AuthStyle.class, preset.authStyle());
        if (apiKey.isEmpty() && preset.apiKeyRequired() && authStyle != AuthStyle.NONE) {
            throw new ConfigException(prefix + ".api-key", "is required for preset " + preset.configName());
        }
        PathStyle pathStyle = Nodes.enumValue(node.get("path-style"), PathStyle.class, preset.pathStyle());
        String apiVersion = pathStyle == PathStyle.AZURE_DEPLOYMENT
                ? Nodes.string(node.get("api-version"), DEFAULT_AZURE_API_VERSION) : "";
        return new ProviderConfig(id, type, preset, stripTrailingSlash(baseUrl), apiKey, authStyle, pathStyle,
                apiVersion, Nodes.stringMap(node.get("headers")), Nodes.stringList(node.get("models")),
                Nodes.integer(node.get("max-concurrency"), 512, 1, 100_000),
                Nodes.bool(node.get("stream-usage"), preset.streamOptionsSupported()),
                TimeoutsConfig.create(node.get("timeouts"), globalTimeouts));
    }

    private static ProviderPreset defaultPreset(Config node) {
        return node.get("base-url").exists() ? ProviderPreset.CUSTOM : ProviderPreset.OPENAI;
    }

    private static URI stripTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
    }

    @Override
    public String toString() {
        return "ProviderConfig[id=" + id + ", type=" + type + ", preset=" + preset + ", baseUrl=" + baseUrl
                + ", apiKey=" + (apiKey.isPresent() ? "****" : "none") + ", models=" + models + "]";
    }
}
