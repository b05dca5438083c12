package ai.higress.config;

/** The wire protocol an upstream speaks; one provider adapter per type. */
public enum ProviderType {
    /** OpenAI chat completions, spoken by OpenAI and every OpenAI-compatible vendor. */
    OPENAI,
    /** Anthropic Messages ({@code POST /v1/messages}). */
    ANTHROPIC,
    /** Google's Gemini API ({@code generateContent} / {@code streamGenerateContent}). */
    GEMINI
}
