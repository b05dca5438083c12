package ai.higress.config;

import java.util.Optional;

import io.helidon.config.Config;

/**
 * What a provider model can do; the router skips a target that lacks something the request needs. Unknown means
 * capable: only what configuration says a model cannot do is ever skipped.
 *
 * @param tools         function/tool calling
 * @param vision        image inputs
 * @param jsonMode      {@code response_format} JSON object or schema
 * @param streaming     server-sent events
 * @param reasoning     accepts reasoning requests ({@code reasoning_effort})
 * @param embeddings    an embedding model: it serves {@code /v1/embeddings} and never chat
 * @param contextWindow tokens the model accepts per request (prompt plus completion; per input for embeddings),
 *                      0 when unknown
 */
public record ModelCapabilities(boolean tools, boolean vision, boolean jsonMode, boolean streaming, boolean reasoning,
                                boolean embeddings, int contextWindow) {
    /** A chat model that can do everything, with an unknown context window: the default. */
    public static final ModelCapabilities ALL = new ModelCapabilities(true, true, true, true, true, false, 0);
    /** The largest context window accepted in configuration. */
    public static final int MAX_CONTEXT_WINDOW = 100_000_000;

    public ModelCapabilities {
        if (contextWindow < 0) {
            throw new IllegalArgumentException("contextWindow must not be negative, was " + contextWindow);
        }
    }

    /** A chat model with these capabilities, reasoning allowed and an unknown context window. */
    public ModelCapabilities(boolean tools, boolean vision, boolean jsonMode, boolean streaming) {
        this(tools, vision, jsonMode, streaming, true, false, 0);
    }

    static ModelCapabilities create(Config node, ModelCapabilities defaults) {
        return new ModelCapabilities(Nodes.bool(node.get("tools"), defaults.tools()),
                Nodes.bool(node.get("vision"), defaults.vision()),
                Nodes.bool(node.get("json-mode"), defaults.jsonMode()),
                Nodes.bool(node.get("streaming"), defaults.streaming()),
                Nodes.bool(node.get("reasoning"), defaults.reasoning()),
                Nodes.bool(node.get("embeddings"), defaults.embeddings()),
                Nodes.integer(node.get("context-window"), defaults.contextWindow(), 0, MAX_CONTEXT_WINDOW));
    }

    /** Whether a request of {@code promptTokens} plus {@code maxOutputTokens} is known not to fit. */
    public boolean tooSmallFor(long promptTokens, long maxOutputTokens) {
        return contextWindow > 0 && promptTokens + maxOutputTokens > contextWindow;
    }

    /**
     * The first capability of {@code this} that the request asks for and this lacks, by its configuration name, in
     * the order tools, vision, json-mode, streaming, reasoning.
     */
    public Optional<String> missing(boolean needsTools, boolean needsVision, boolean needsJson, boolean needsStreaming,
                                    boolean needsReasoning) {
        if (needsTools && !tools) {
            return Optional.of("tools");
        }
        if (needsVision && !vision) {
            return Optional.of("vision");
        }
        if (needsJson && !jsonMode) {
            return Optional.of("json-mode");
        }
        if (needsStreaming && !streaming) {
            return Optional.of("streaming");
        }
        if (needsReasoning && !reasoning) {
            return Optional.of("reasoning");
        }
        return Optional.empty();
    }
}
