package ai.higress.provider.anthropic;

/** Anthropic's {@code stop_reason} in OpenAI's {@code finish_reason} vocabulary. */
final class StopReasons {

    private StopReasons() {
    }

    /**
     * The finish reason for {@code stopReason}; in JSON mode the forced tool's call is the answer, so it finishes as
     * {@code stop}. {@code pause_turn} (a server tool paused a long turn) ends the answer as it stands, so it is
     * {@code stop} too; a reason added to the API later is read as {@code stop}.
     */
    static String finishReason(String stopReason, boolean jsonMode) {
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> jsonMode ? "stop" : "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }
}
