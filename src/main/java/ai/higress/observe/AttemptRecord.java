package ai.higress.observe;

import java.util.Optional;

import ai.higress.error.ErrorKind;

/**
 * One upstream attempt of a request.
 *
 * @param provider       provider id
 * @param upstreamModel  model name sent upstream
 * @param status         upstream HTTP status, 0 when there was no HTTP answer
 * @param error          the classified failure, empty on success
 * @param durationNanos  from sending to the end of the attempt
 * @param firstTokenNanos from sending to the first stream event, 0 when none (or not a stream)
 */
public record AttemptRecord(String provider, String upstreamModel, int status, Optional<ErrorKind> error,
                            long durationNanos, long firstTokenNanos) {

    public String outcomeTag() {
        return error.map(kind -> kind.name().toLowerCase()).orElse("success");
    }
}
