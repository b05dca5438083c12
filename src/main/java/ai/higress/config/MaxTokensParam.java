package ai.higress.config;

/**
 * The name under which an OpenAI-compatible vendor takes a completion's output limit. OpenAI renamed
 * {@code max_tokens} to {@code max_completion_tokens} (its reasoning models refuse the old name), and the gateway's
 * other ingress dialects (Messages, Responses) produce the new one; vendors that never adopted it are sent the old
 * one instead.
 */
public enum MaxTokensParam {
    /** The vendor knows {@code max_completion_tokens}: the limit is sent under the name the request used. */
    MAX_COMPLETION_TOKENS,
    /**
     * The vendor knows only {@code max_tokens} (and ignores or refuses the new name): {@code max_completion_tokens}
     * is renamed, its value winning over a {@code max_tokens} sent beside it.
     */
    MAX_TOKENS
}
