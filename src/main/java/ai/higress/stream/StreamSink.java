package ai.higress.stream;

import java.io.OutputStream;

import ai.higress.provider.Target;

/** Where a relayed stream goes: the client's response, committed when the first event is ready. */
public interface StreamSink {

    /**
     * Sends the status line and headers naming the target that serves the stream, and returns the body stream.
     * Called once, right before the first event; from then on failures can no longer change the HTTP status.
     */
    OutputStream commit(Target target, int attempt);
}
