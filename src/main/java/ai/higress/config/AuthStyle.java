package ai.higress.config;

import java.util.Map;
import java.util.Optional;

/** How an upstream expects its API key. */
public enum AuthStyle {
    /** {@code Authorization: Bearer <key>} (OpenAI and most compatible vendors). */
    BEARER,
    /** {@code api-key: <key>} (Azure OpenAI). */
    API_KEY_HEADER,
    /** {@code x-api-key: <key>} (Anthropic). */
    X_API_KEY,
    /** {@code x-goog-api-key: <key>} (Google's Gemini API). */
    X_GOOG_API_KEY,
    /** No credential (local vLLM or Ollama without a key). */
    NONE;

    /** The header (lower-case name, value) that carries {@code key} in this style; empty for {@link #NONE}. */
    public Optional<Map.Entry<String, String>> header(String key) {
        return switch (this) {
            case BEARER -> Optional.of(Map.entry("authorization", "Bearer " + key));
            case API_KEY_HEADER -> Optional.of(Map.entry("api-key", key));
            case X_API_KEY -> Optional.of(Map.entry("x-api-key", key));
            case X_GOOG_API_KEY -> Optional.of(Map.entry("x-goog-api-key", key));
            case NONE -> Optional.empty();
        };
    }
}
