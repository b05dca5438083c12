package ai.higress.config;

import java.util.Optional;

import io.helidon.config.Config;

/**
 * The admin API's break-glass bearer token ({@code admin.token}, or {@code HIGRESS_ADMIN_TOKEN}). Without one the
 * admin API refuses every call.
 *
 * @param token the token; compared in constant time
 */
public record AdminConfig(Optional<Secret> token) {
    static final int MIN_TOKEN_LENGTH = 24;

    public AdminConfig {
        token.ifPresent(secret -> {
            if (secret.reveal().length() < MIN_TOKEN_LENGTH) {
                throw new ConfigException("admin.token", "must be at least " + MIN_TOKEN_LENGTH + " characters long");
            }
        });
    }

    static AdminConfig create(Config node) {
        return new AdminConfig(Nodes.optionalString(node.get("token")).map(Secret::of));
    }
}
