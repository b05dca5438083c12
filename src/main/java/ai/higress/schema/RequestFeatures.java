package ai.higress.schema;

/**
 * Capabilities a request needs from the target that serves it; the router skips targets that lack one.
 *
 * @param tools         the request declares tools or functions
 * @param vision        a message carries an image
 * @param jsonMode      {@code response_format} asks for JSON output
 * @param streaming     the client asked for a stream
 * @param upstreamState the request continues a Responses API response that only an upstream holds (a
 *                      {@code previous_response_id} the gateway did not store): only a target that is relayed the
 *                      Responses API natively can see that conversation
 */
public record RequestFeatures(boolean tools, boolean vision, boolean jsonMode, boolean streaming,
                              boolean upstreamState) {

    public RequestFeatures(boolean tools, boolean vision, boolean jsonMode, boolean streaming) {
        this(tools, vision, jsonMode, streaming, false);
    }

    /** These features, also needing the upstream's Responses state. */
    public RequestFeatures withUpstreamState() {
        return new RequestFeatures(tools, vision, jsonMode, streaming, true);
    }
}
