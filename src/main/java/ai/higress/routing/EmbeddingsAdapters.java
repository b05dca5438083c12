package ai.higress.routing;

import java.util.EnumMap;
import java.util.Map;

import ai.higress.config.ProviderType;
import ai.higress.provider.EmbeddingsAdapter;
import ai.higress.provider.Target;

/**
 * The embeddings adapter for each wire protocol that serves embeddings ({@link ProviderType#servesEmbeddings()}); the
 * router plans embeddings requests on no other protocol.
 */
public final class EmbeddingsAdapters {
    private final Map<ProviderType, EmbeddingsAdapter> byType;

    public EmbeddingsAdapters(Map<ProviderType, EmbeddingsAdapter> byType) {
        this.byType = new EnumMap<>(byType);
        for (ProviderType type : ProviderType.values()) {
            if (type.servesEmbeddings() && !this.byType.containsKey(type)) {
                throw new IllegalArgumentException("no embeddings adapter for provider type " + type);
            }
        }
    }

    public EmbeddingsAdapter forTarget(Target target) {
        return byType.get(target.provider().type());
    }
}
