/**
 * The Gemini API as a client dialect: {@link ai.higress.gemini.GeminiRequestParser} turns a
 * {@code GenerateContentRequest} into the canonical (OpenAI chat) request, refusing with {@code INVALID_ARGUMENT}
 * what has no canonical form, and {@link ai.higress.gemini.GeminiClientCodec} turns canonical answers back into
 * {@code GenerateContentResponse} objects and server-sent events. A Gemini upstream bypasses both directions: the
 * adapter relays the client's own body and answer. Stateless and free of I/O; the endpoint lives in {@code api}.
 */
package ai.higress.gemini;
