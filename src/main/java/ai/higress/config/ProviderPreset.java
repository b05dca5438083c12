package ai.higress.config;

import java.net.URI;
import java.util.Optional;

/**
 * Known vendors: base URL, credential style and quirks, so a provider entry needs little more than a key. Every field a
 * preset fills can still be set explicitly on the provider. Each preset belongs to one {@link ProviderType}; all but
 * {@link #ANTHROPIC} and {@link #GEMINI} are OpenAI-compatible.
 */
public enum ProviderPreset {
    OPENAI("https://api.openai.com/v1", AuthStyle.BEARER, true, PathStyle.STANDARD, true),
    AZURE(null, AuthStyle.API_KEY_HEADER, true, PathStyle.AZURE_DEPLOYMENT, true),
    DEEPSEEK("https://api.deepseek.com/v1", AuthStyle.BEARER, true, PathStyle.STANDARD, true),
    GROQ("https://api.groq.com/openai/v1", AuthStyle.BEARER, true, PathStyle.STANDARD, true),
    MISTRAL("https://api.mistral.ai/v1", AuthStyle.BEARER, true, PathStyle.STANDARD, false),
    OPENROUTER("https://openrouter.ai/api/v1", AuthStyle.BEARER, true, PathStyle.STANDARD, true),
    TOGETHER("https://api.together.xyz/v1", AuthStyle.BEARER, true, PathStyle.STANDARD, true),
    VLLM("http://127.0.0.1:8000/v1", AuthStyle.BEARER, false, PathStyle.STANDARD, true),
    OLLAMA("http://127.0.0.1:11434/v1", AuthStyle.BEARER, false, PathStyle.STANDARD, true),
    /** Anything else that speaks the OpenAI protocol: base-url is required. */
    CUSTOM(null, AuthStyle.BEARER, false, PathStyle.STANDARD, true),
    /** Anthropic's Messages API; the preset of every {@code type: anthropic} provider. */
    ANTHROPIC("https://api.anthropic.com/v1", AuthStyle.X_API_KEY, true, PathStyle.STANDARD, true,
            ProviderType.ANTHROPIC),
    /** Google's Gemini API; the key goes in {@code x-goog-api-key}, paths are formed by the Gemini adapter. */
    GEMINI("https://generativelanguage.googleapis.com/v1beta", AuthStyle.X_GOOG_API_KEY, true, PathStyle.STANDARD,
            false, ProviderType.GEMINI);

    private final String baseUrl;
    private final AuthStyle authStyle;
    private final boolean apiKeyRequired;
    private final PathStyle pathStyle;
    private final boolean streamOptionsSupported;
    private final ProviderType type;

    ProviderPreset(String baseUrl, AuthStyle authStyle, boolean apiKeyRequired, PathStyle pathStyle,
                   boolean streamOptionsSupported) {
        this(baseUrl, authStyle, apiKeyRequired, pathStyle, streamOptionsSupported, ProviderType.OPENAI);
    }

    ProviderPreset(String baseUrl, AuthStyle authStyle, boolean apiKeyRequired, PathStyle pathStyle,
                   boolean streamOptionsSupported, ProviderType type) {
        this.baseUrl = baseUrl;
        this.authStyle = authStyle;
        this.apiKeyRequired = apiKeyRequired;
        this.pathStyle = pathStyle;
        this.streamOptionsSupported = streamOptionsSupported;
        this.type = type;
    }

    /** The wire protocol of this vendor; a provider's {@code type} and {@code preset} must agree. */
    public ProviderType type() {
        return type;
    }

    public Optional<URI> baseUrl() {
        return Optional.ofNullable(baseUrl).map(URI::create);
    }

    public AuthStyle authStyle() {
        return authStyle;
    }

    public boolean apiKeyRequired() {
        return apiKeyRequired;
    }

    public PathStyle pathStyle() {
        return pathStyle;
    }

    /**
     * Whether the vendor accepts {@code stream_options.include_usage}. Vendors that reject it (Mistral) send usage
     * in their last chunk anyway.
     */
    public boolean streamOptionsSupported() {
        return streamOptionsSupported;
    }

    /**
     * Whether the vendor serves the OpenAI Responses API ({@code POST /responses}), so Responses clients can be relayed
     * to it untouched. Only OpenAI itself is assumed to; any other provider opts in with {@code responses-api: true}.
     */
    public boolean responsesApi() {
        return this == OPENAI;
    }

    public String configName() {
        return name().toLowerCase();
    }
}
