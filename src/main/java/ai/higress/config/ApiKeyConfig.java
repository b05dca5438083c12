package ai.higress.config;

import io.helidon.config.Config;

/** A static client API key declared in configuration. */
public record ApiKeyConfig(String name, Secret key) {
    static final int MIN_KEY_LENGTH = 16;

    public ApiKeyConfig {
        if (key.reveal().length() < MIN_KEY_LENGTH) {
            throw new ConfigException("auth.api-keys[" + name + "].key", tooShort());
        }
    }

    static ApiKeyConfig create(Config node) {
        String name = Nodes.requiredString(node.get("name"));
        String key = Nodes.requiredString(node.get("key"));
        if (key.length() < MIN_KEY_LENGTH) {
            throw new ConfigException(Nodes.key(node.get("key")), tooShort());
        }
        return new ApiKeyConfig(name, Secret.of(key));
    }

    private static String tooShort() {
        return "must be at least " + MIN_KEY_LENGTH + " characters long";
    }
}
