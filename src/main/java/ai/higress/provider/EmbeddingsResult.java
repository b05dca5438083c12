package ai.higress.provider;

import ai.higress.schema.Usage;

/**
 * An embeddings answer in OpenAI's format.
 *
 * @param body      the response body for the client
 * @param usage     prompt tokens (as reported, or estimated where the upstream reports none)
 * @param estimated whether {@code usage} is the gateway's estimate rather than the upstream's count
 */
public record EmbeddingsResult(byte[] body, Usage usage, boolean estimated) {
}
