package ai.higress.config;

/** How an OpenAI-compatible upstream lays out its URLs. */
public enum PathStyle {
    /** {@code <base-url>/chat/completions}, the model in the body. */
    STANDARD,
    /** Azure OpenAI: {@code <base-url>/deployments/<model>/chat/completions?api-version=<v>}. */
    AZURE_DEPLOYMENT
}
