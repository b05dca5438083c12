package ai.higress.config;

import java.util.OptionalInt;

import io.helidon.config.Config;

/**
 * A static client API key declared in configuration.
 *
 * @param name              the key's name (its id is {@code config:<name>})
 * @param key               the secret key
 * @param requestsPerMinute {@code rpm}: requests per minute, when limited
 * @param tokensPerMinute   {@code tpm}: tokens per minute (prompt + completion), when limited
 * @param sessionText       {@code session-text}: whether its session snippets keep message text
 */
public record ApiKeyConfig(String name, Secret key, OptionalInt requestsPerMinute, OptionalInt tokensPerMinute,
                           SessionText sessionText) {
    static final int MIN_KEY_LENGTH = 16;

    public ApiKeyConfig {
        if (key.reveal().length() < MIN_KEY_LENGTH) {
            throw new ConfigException("auth.api-keys[" + name + "].key", tooShort());
        }
    }

    /** A key without rate limits. */
    public ApiKeyConfig(String name, Secret key) {
        this(name, key, OptionalInt.empty(), OptionalInt.empty(), SessionText.DEFAULT);
    }

    /** A key with rate limits and the global session-text setting. */
    public ApiKeyConfig(String name, Secret key, OptionalInt requestsPerMinute, OptionalInt tokensPerMinute) {
        this(name, key, requestsPerMinute, tokensPerMinute, SessionText.DEFAULT);
    }

    static ApiKeyConfig create(Config node) {
        String name = Nodes.requiredString(node.get("name"));
        String key = Nodes.requiredString(node.get("key"));
        if (key.length() < MIN_KEY_LENGTH) {
            throw new ConfigException(Nodes.key(node.get("key")), tooShort());
        }
        return new ApiKeyConfig(name, Secret.of(key), limit(node.get("rpm")), limit(node.get("tpm")),
                Nodes.enumValue(node.get("session-text"), SessionText.class, SessionText.DEFAULT));
    }

    private static OptionalInt limit(Config node) {
        return node.exists() ? OptionalInt.of(Nodes.integer(node, 0, 1, Integer.MAX_VALUE)) : OptionalInt.empty();
    }

    private static String tooShort() {
        return "must be at least " + MIN_KEY_LENGTH + " characters long";
    }
}
