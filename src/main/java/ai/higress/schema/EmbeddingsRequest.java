package ai.higress.schema;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated {@code /v1/embeddings} request.
 *
 * @param model      the model the client asked for (logical, {@code provider/model} or bare upstream name)
 * @param inputs     the inputs in order; the answer has one vector per input, with the same index
 * @param encoding   how the client wants the vectors
 * @param dimensions the vector size the client asked for, 0 for the model's own
 * @param body       the body as the client sent it; adapters copy it before editing, it is never mutated
 */
public record EmbeddingsRequest(String model, List<EmbeddingInput> inputs, EncodingFormat encoding, int dimensions,
                                ObjectNode body) {

    public EmbeddingsRequest {
        inputs = List.copyOf(inputs);
    }

    /** Whether the inputs are token ids rather than text. */
    public boolean tokenInput() {
        return !inputs.isEmpty() && inputs.getFirst() instanceof EmbeddingInput.TokenIds;
    }

    /** The estimated tokens of all inputs: what rate limiting reserves. */
    public long estimatedTokens() {
        return inputs.stream().mapToLong(EmbeddingInput::estimatedTokens).sum();
    }

    /** What the request needs from a target: an embedding model whose context window holds its longest input. */
    public RequestFeatures features() {
        long longest = inputs.stream().mapToLong(EmbeddingInput::estimatedTokens).max().orElse(0);
        return RequestFeatures.embeddings(tokenInput(), longest);
    }
}
