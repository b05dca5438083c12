package ai.higress.schema;

/**
 * What a request needs from the target that serves it; the router skips targets that lack one.
 *
 * @param tools           the request declares tools or functions
 * @param vision          a message carries an image
 * @param jsonMode        {@code response_format} asks for JSON output
 * @param streaming       the client asked for a stream
 * @param reasoning       the request sets {@code reasoning_effort}
 * @param embeddings      an embeddings request (served only by embedding models); false for chat
 * @param tokenInput      an embeddings request whose inputs are token ids rather than text
 * @param promptTokens    the estimated prompt size in tokens (for embeddings: of the longest single input), checked
 *                        against a target's context window
 * @param maxOutputTokens the completion the request allows ({@code max_completion_tokens}, else {@code max_tokens}),
 *                        0 when it sets no limit
 * @param upstreamState   the request continues a Responses API response that only an upstream holds (a
 *                        {@code previous_response_id} the gateway did not store): only a target that is relayed the
 *                        Responses API natively can see that conversation
 */
public record RequestFeatures(boolean tools, boolean vision, boolean jsonMode, boolean streaming, boolean reasoning,
                              boolean embeddings, boolean tokenInput, long promptTokens, long maxOutputTokens,
                              boolean upstreamState) {

    /** A chat request with these needs, no reasoning and no known size. */
    public RequestFeatures(boolean tools, boolean vision, boolean jsonMode, boolean streaming) {
        this(tools, vision, jsonMode, streaming, false, false, false, 0, 0, false);
    }

    /** An embeddings request (of token ids when {@code tokenInput}) whose longest input has about that many tokens. */
    public static RequestFeatures embeddings(boolean tokenInput, long longestInputTokens) {
        return new RequestFeatures(false, false, false, false, false, true, tokenInput, longestInputTokens, 0,
                false);
    }

    /** These features, also needing the upstream's Responses state. */
    public RequestFeatures withUpstreamState() {
        return new RequestFeatures(tools, vision, jsonMode, streaming, reasoning, embeddings, tokenInput, promptTokens,
                maxOutputTokens, true);
    }
}
