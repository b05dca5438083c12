package ai.higress.config;

/** How an upstream expects its API key. */
public enum AuthStyle {
    /** {@code Authorization: Bearer <key>} (OpenAI and most compatible vendors). */
    BEARER,
    /** The protocol's API-key header: {@code api-key: <key>} for OpenAI (Azure), {@code x-goog-api-key} for Gemini. */
    API_KEY_HEADER,
    /** No credential (local vLLM or Ollama without a key). */
    NONE
}
