package ai.higress.provider;

import java.util.Map;

import ai.higress.error.UpstreamException;
import ai.higress.schema.EmbeddingsRequest;

/**
 * Translates an embeddings request to one upstream wire protocol and its answer back to OpenAI's embeddings format.
 * Stateless and free of I/O, like {@link ProviderAdapter}; error classification is the protocol's own.
 */
public interface EmbeddingsAdapter {

    /** Builds the upstream request for {@code request} sent to {@code target}. */
    UpstreamRequest toUpstream(EmbeddingsRequest request, Target target, String requestId);

    /**
     * Reads a successful upstream body into an OpenAI embeddings answer, encoded as the client asked.
     *
     * @throws UpstreamException of kind PROTOCOL when the body is not understood
     */
    EmbeddingsResult toResponse(EmbeddingsRequest request, byte[] body, Target target);

    /** Classifies an upstream error answer, as the protocol's chat adapter does. */
    UpstreamException classifyError(Target target, int status, Map<String, String> headers, byte[] body);
}
