package ai.higress.api;

import java.io.OutputStream;

/**
 * Sees an answer that succeeded before the client does, so an endpoint can keep what its dialect needs (the Responses
 * endpoint stores the response it sends). Acting before the client has the answer matters: a client may use an answer
 * the instant it arrives, for instance to continue from it.
 */
interface AnswerListener {
    AnswerListener NONE = new AnswerListener() {
    };

    /** A complete (non-streaming) answer, just before it is sent. */
    default void completed(byte[] body) {
    }

    /** Wraps the committed client stream; the wrapper sees every event before passing it on. */
    default OutputStream watch(OutputStream client) {
        return client;
    }
}
