package ai.higress.schema;

/**
 * The API dialects the gateway speaks, on either side. A client protocol is what an ingress endpoint accepts and
 * answers in; an upstream protocol is what a provider adapter sends. The canonical form between them is
 * {@link #OPENAI_CHAT}: any other pairing translates through it unless an adapter can relay the client's own dialect
 * untouched (the fast path).
 */
public enum WireProtocol {
    /** {@code POST /v1/chat/completions}. */
    OPENAI_CHAT,
    /** {@code POST /v1/responses}. */
    OPENAI_RESPONSES,
    /** Anthropic {@code POST /v1/messages}. */
    ANTHROPIC_MESSAGES,
    /** Google Gemini {@code generateContent} / {@code streamGenerateContent}. */
    GEMINI
}
