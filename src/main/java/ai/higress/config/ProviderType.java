package ai.higress.config;

/** The wire protocol an upstream speaks; one provider adapter per type. */
public enum ProviderType {
    /** OpenAI chat completions, and every vendor compatible with it. */
    OPENAI,
    /** Google's Gemini API ({@code generateContent} / {@code streamGenerateContent}). */
    GEMINI
}
