package ai.higress.ratelimit;

/** The two per-key limits. */
public enum LimitKind {
    REQUESTS("requests"),
    TOKENS("tokens");

    private final String tag;

    LimitKind(String tag) {
        this.tag = tag;
    }

    /** The word used in headers ({@code x-ratelimit-*-requests}), metrics and messages. */
    public String tag() {
        return tag;
    }
}
