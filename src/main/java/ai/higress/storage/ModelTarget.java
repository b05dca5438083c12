package ai.higress.storage;

/**
 * One place a logical model can be served.
 *
 * @param providerId    the provider
 * @param upstreamModel the model name sent upstream
 * @param weight        share of first attempts within its tier
 * @param priority      tier: 0 first
 */
public record ModelTarget(String providerId, String upstreamModel, int weight, int priority) {
}
