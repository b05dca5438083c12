package ai.higress.config;

/**
 * The wire protocol an upstream speaks, and which gateway endpoints this build can serve through it. The router skips
 * a target whose protocol cannot carry the request (a chat request to a provider type without a chat adapter), so a
 * protocol can be added one endpoint at a time.
 */
public enum ProviderType {
    /** OpenAI and every OpenAI-compatible vendor (through presets). */
    OPENAI(true, true, true),
    /** Google's Gemini API ({@code generativelanguage.googleapis.com}). Its chat adapter is not part of this build. */
    GEMINI(false, true, false);

    private final boolean chat;
    private final boolean embeddings;
    private final boolean tokenInput;

    ProviderType(boolean chat, boolean embeddings, boolean tokenInput) {
        this.chat = chat;
        this.embeddings = embeddings;
        this.tokenInput = tokenInput;
    }

    /** Whether chat requests (chat completions and the dialects translated to it) can be sent to this protocol. */
    public boolean servesChat() {
        return chat;
    }

    /** Whether {@code /v1/embeddings} requests can be sent to this protocol. */
    public boolean servesEmbeddings() {
        return embeddings;
    }

    /** Whether embeddings of token ids (not only of text) can be asked for: Gemini embeds text only. */
    public boolean embedsTokenIds() {
        return tokenInput;
    }

    public String configName() {
        return name().toLowerCase();
    }
}
