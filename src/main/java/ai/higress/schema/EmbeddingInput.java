package ai.higress.schema;

import ai.higress.ratelimit.TokenEstimate;

/** One input of an embeddings request: a text, or a text already tokenized into token ids. */
public sealed interface EmbeddingInput {

    /** The tokens this input is estimated to have (exact for token ids). */
    long estimatedTokens();

    /** A text to embed (never empty). */
    record Text(String text) implements EmbeddingInput {
        @Override
        public long estimatedTokens() {
            return TokenEstimate.textTokens(text);
        }
    }

    /**
     * Token ids to embed. Only their number is kept: the body is relayed as the client sent it, and a protocol that
     * cannot take token ids is never planned for them.
     */
    record TokenIds(int count) implements EmbeddingInput {
        @Override
        public long estimatedTokens() {
            return count;
        }
    }
}
