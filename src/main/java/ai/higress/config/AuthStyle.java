package ai.higress.config;

/** How an upstream expects its API key. */
public enum AuthStyle {
    /** {@code Authorization: Bearer <key>} (OpenAI and most compatible vendors). */
    BEARER,
    /** {@code api-key: <key>} (Azure OpenAI). */
    API_KEY_HEADER,
    /** {@code x-api-key: <key>} (Anthropic). */
    X_API_KEY,
    /** No credential (local vLLM or Ollama without a key). */
    NONE
}
