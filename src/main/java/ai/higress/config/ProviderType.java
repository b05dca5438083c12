package ai.higress.config;

/** The wire protocol an upstream speaks; one provider adapter per type. */
public enum ProviderType {
    OPENAI
}
