package ai.higress.config;

import io.helidon.config.Config;

/**
 * What a provider model can do; the router skips a target that lacks something the request needs.
 *
 * @param tools     function/tool calling
 * @param vision    image inputs
 * @param jsonMode  {@code response_format} JSON object or schema
 * @param streaming server-sent events
 */
public record ModelCapabilities(boolean tools, boolean vision, boolean jsonMode, boolean streaming) {
    public static final ModelCapabilities ALL = new ModelCapabilities(true, true, true, true);

    static ModelCapabilities create(Config node, ModelCapabilities defaults) {
        return new ModelCapabilities(Nodes.bool(node.get("tools"), defaults.tools()),
                Nodes.bool(node.get("vision"), defaults.vision()),
                Nodes.bool(node.get("json-mode"), defaults.jsonMode()),
                Nodes.bool(node.get("streaming"), defaults.streaming()));
    }

    /** The first capability of {@code this} that {@code needed} asks for and this lacks, by name. */
    public java.util.Optional<String> missing(boolean needsTools, boolean needsVision, boolean needsJson,
                                              boolean needsStreaming) {
        if (needsTools && !tools) {
            return java.util.Optional.of("tools");
        }
        if (needsVision && !vision) {
            return java.util.Optional.of("vision");
        }
        if (needsJson && !jsonMode) {
            return java.util.Optional.of("json-mode");
        }
        if (needsStreaming && !streaming) {
            return java.util.Optional.of("streaming");
        }
        return java.util.Optional.empty();
    }
}
