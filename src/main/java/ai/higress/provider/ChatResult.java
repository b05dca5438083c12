package ai.higress.provider;

import java.util.Optional;

import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;

/**
 * A complete non-streaming answer.
 *
 * @param body         the response body, in {@code protocol}
 * @param usage        token usage, when the upstream reported it
 * @param finishReason the first choice's finish reason (OpenAI vocabulary), empty when absent
 * @param protocol     the dialect of {@code body}: the client's own when an adapter relayed it natively, otherwise
 *                     OpenAI chat, which the client's {@link ClientCodec} then translates
 */
public record ChatResult(byte[] body, Optional<Usage> usage, String finishReason, WireProtocol protocol) {

    /** An OpenAI chat-completions answer. */
    public ChatResult(byte[] body, Optional<Usage> usage, String finishReason) {
        this(body, usage, finishReason, WireProtocol.OPENAI_CHAT);
    }
}
