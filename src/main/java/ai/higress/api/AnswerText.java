package ai.higress.api;

import java.util.Optional;

/**
 * Reads the answer text a session snippet keeps out of what a client was sent, in that client's dialect. Each
 * ingress endpoint supplies one; the pipeline stays dialect-blind.
 */
interface AnswerText {

    /** The text of a complete (non-streaming) answer body. */
    Optional<String> ofBody(byte[] body);

    /** The text of one streamed event's data, appended in order to rebuild the answer; empty when it carries none. */
    Optional<String> ofEvent(String data);
}
