package ai.higress.config;

/**
 * The wire protocol an upstream speaks, one provider adapter per type and endpoint, and which gateway endpoints can be
 * served through it. The router skips a target whose protocol cannot carry the request (an embeddings request to
 * Anthropic), so a protocol can gain endpoints one at a time.
 */
public enum ProviderType {
    /** OpenAI chat completions and embeddings, spoken by OpenAI and every OpenAI-compatible vendor. */
    OPENAI(true, true, true),
    /** Anthropic Messages ({@code POST /v1/messages}); Anthropic has no embeddings endpoint. */
    ANTHROPIC(true, false, false),
    /** Google's Gemini API ({@code generateContent} / {@code streamGenerateContent}, {@code batchEmbedContents}). */
    GEMINI(true, true, false);

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
