package ai.higress.config;

/**
 * One upstream credential of a provider. A provider may hold several; each is rate-limited and cooled on its own.
 *
 * @param id             {@code <provider>#<index>}, safe to log and show
 * @param secret         the credential
 * @param weight         share of requests among the provider's healthy keys
 * @param maxConcurrency most requests in flight on this key at once, across replicas; 0 for no cap of its own
 */
public record ProviderKey(String id, Secret secret, int weight, int maxConcurrency) {

    /** A key without a concurrency cap of its own. */
    public ProviderKey(String id, Secret secret, int weight) {
        this(id, secret, weight, 0);
    }

    /** The stand-in for a provider that takes no credential. */
    public static ProviderKey none(String providerId) {
        return new ProviderKey(providerId + "#none", Secret.of(""), 1);
    }

    public boolean isNone() {
        return secret.reveal().isEmpty();
    }

    @Override
    public String toString() {
        return "ProviderKey[" + id + ", " + secret.hint() + ", weight=" + weight
                + (maxConcurrency > 0 ? ", maxConcurrency=" + maxConcurrency : "") + "]";
    }
}
