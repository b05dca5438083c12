package ai.higress.stream;

import java.util.Optional;

import ai.higress.error.UpstreamException;
import ai.higress.observe.Outcome;
import ai.higress.schema.Usage;

/**
 * How a committed stream ended.
 *
 * @param outcome SUCCESS, STREAM_INTERRUPTED (the upstream failed after the commit point; the client got an error
 *                event) or CLIENT_DISCONNECTED
 * @param usage   usage seen so far
 * @param failure the upstream failure for STREAM_INTERRUPTED (or a disconnect noticed while reporting one)
 */
public record RelayResult(Outcome outcome, Optional<Usage> usage, Optional<UpstreamException> failure) {
}
