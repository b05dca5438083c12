package ai.higress.provider;

import ai.higress.config.ModelCapabilities;
import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderKey;

/**
 * One concrete place a request can go: a provider, the model name it knows, and (once an attempt picks one) the
 * provider key to use.
 *
 * @param provider      the provider's configuration
 * @param upstreamModel the model name sent upstream
 * @param weight        the routing weight from configuration
 * @param priority      the routing tier from configuration (0 first)
 * @param key           the credential for this attempt; {@link ProviderKey#none(String)} in plans and for keyless
 *                      providers
 */
public record Target(ProviderConfig provider, String upstreamModel, int weight, int priority, ProviderKey key) {

    public Target(ProviderConfig provider, String upstreamModel, int weight, int priority) {
        this(provider, upstreamModel, weight, priority, ProviderKey.none(provider.id()));
    }

    public Target(ProviderConfig provider, String upstreamModel, int weight) {
        this(provider, upstreamModel, weight, 0);
    }

    public String providerId() {
        return provider.id();
    }

    /** {@code provider/model}, as shown in logs, headers and metric tags. */
    public String label() {
        return provider.id() + "/" + upstreamModel;
    }

    public ModelCapabilities capabilities() {
        return provider.capabilitiesOf(upstreamModel);
    }

    public Target withKey(ProviderKey chosen) {
        return new Target(provider, upstreamModel, weight, priority, chosen);
    }
}
