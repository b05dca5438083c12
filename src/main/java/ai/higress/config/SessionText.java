package ai.higress.config;

/**
 * Whether a key's session snippets keep message text: its own setting over the global {@code sessions.store-text}.
 */
public enum SessionText {
    /** Follow {@code sessions.store-text}. */
    DEFAULT,
    /** Keep the user and assistant text (cut to {@code sessions.max-chars}), whatever the global setting. */
    STORE,
    /** Keep metadata only (model, target, timestamps, tokens), whatever the global setting. */
    OMIT;

    /** Whether text is kept, given the global {@code sessions.store-text}. */
    public boolean stores(boolean globalDefault) {
        return switch (this) {
            case DEFAULT -> globalDefault;
            case STORE -> true;
            case OMIT -> false;
        };
    }

    /** The word used in configuration and the admin API. */
    public String tag() {
        return name().toLowerCase();
    }

    /** Parses {@code default}, {@code store} or {@code omit}; empty for anything else. */
    public static java.util.Optional<SessionText> parse(String text) {
        for (SessionText value : values()) {
            if (value.tag().equals(text)) {
                return java.util.Optional.of(value);
            }
        }
        return java.util.Optional.empty();
    }
}
