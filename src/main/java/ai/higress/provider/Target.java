package ai.higress.provider;

import ai.higress.config.ProviderConfig;

/**
 * One concrete place a request can go: a provider and the model name it knows.
 *
 * @param provider      the provider's configuration
 * @param upstreamModel the model name sent upstream
 * @param weight        the routing weight from configuration
 */
public record Target(ProviderConfig provider, String upstreamModel, int weight) {

    public String providerId() {
        return provider.id();
    }

    /** {@code provider/model}, as shown in logs and headers. */
    public String label() {
        return provider.id() + "/" + upstreamModel;
    }
}
