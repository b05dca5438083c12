package ai.higress.schema;

/**
 * Capabilities a request needs from the target that serves it; the router skips targets that lack one.
 *
 * @param tools     the request declares tools or functions
 * @param vision    a message carries an image
 * @param jsonMode  {@code response_format} asks for JSON output
 * @param streaming the client asked for a stream
 */
public record RequestFeatures(boolean tools, boolean vision, boolean jsonMode, boolean streaming) {
}
