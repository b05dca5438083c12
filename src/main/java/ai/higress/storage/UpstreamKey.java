package ai.higress.storage;

/**
 * An upstream credential of a provider (the {@code provider_keys} table), already encrypted by the caller.
 *
 * @param id         key id
 * @param providerId the provider it belongs to
 * @param ciphertext base64 of nonce, ciphertext and tag; never the plain key
 * @param hint       what operators see instead of the key, e.g. {@code sk-a…wxyz}
 * @param weight     share of requests among the provider's keys
 * @param status     active or disabled
 */
public record UpstreamKey(String id, String providerId, String ciphertext, String hint, int weight, Status status) {
    @Override
    public String toString() {
        return "UpstreamKey[id=" + id + ", providerId=" + providerId + ", hint=" + hint + ", weight=" + weight
                + ", status=" + status + "]";
    }
}
