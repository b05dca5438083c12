package ai.higress.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.helidon.config.Config;

/** Client authentication: the static API keys from configuration. */
public record AuthConfig(List<ApiKeyConfig> apiKeys) {

    public AuthConfig {
        apiKeys = List.copyOf(apiKeys);
    }

    static AuthConfig create(Config node) {
        List<ApiKeyConfig> keys = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Config item : Nodes.listItems(node.get("api-keys"))) {
            ApiKeyConfig key = ApiKeyConfig.create(item);
            if (!names.add(key.name())) {
                throw new ConfigException(Nodes.key(item.get("name")), "duplicate key name '" + key.name() + "'");
            }
            keys.add(key);
        }
        return new AuthConfig(keys);
    }

    public AuthConfig withKey(ApiKeyConfig key) {
        List<ApiKeyConfig> keys = new ArrayList<>(apiKeys);
        keys.add(key);
        return new AuthConfig(keys);
    }
}
