package ai.higress.provider;

import java.util.Optional;

import ai.higress.schema.Usage;

/**
 * A complete non-streaming answer, ready for the client.
 *
 * @param body         the response body in the client's protocol
 * @param usage        token usage, when the upstream reported it
 * @param finishReason the first choice's finish reason, empty when absent
 */
public record ChatResult(byte[] body, Optional<Usage> usage, String finishReason) {
}
