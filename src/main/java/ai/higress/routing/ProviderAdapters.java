package ai.higress.routing;

import java.util.EnumMap;
import java.util.Map;

import ai.higress.config.ProviderType;
import ai.higress.provider.ProviderAdapter;
import ai.higress.provider.Target;

/**
 * The chat adapter for each wire protocol that serves chat ({@link ProviderType#servesChat()}). The router never plans
 * a chat request on any other protocol, so every protocol that claims chat must have its adapter here.
 */
public final class ProviderAdapters {
    private final Map<ProviderType, ProviderAdapter> byType;

    public ProviderAdapters(Map<ProviderType, ProviderAdapter> byType) {
        this.byType = new EnumMap<>(byType);
        for (ProviderType type : ProviderType.values()) {
            if (type.servesChat() && !this.byType.containsKey(type)) {
                throw new IllegalArgumentException("no adapter for provider type " + type);
            }
        }
    }

    public ProviderAdapter forTarget(Target target) {
        return byType.get(target.provider().type());
    }
}
