package ai.higress.observe;

/**
 * One upstream attempt of a request.
 *
 * @param provider        provider id
 * @param upstreamModel   model name sent upstream
 * @param keyId           the provider key used ({@code <provider>#<n>}, never the secret)
 * @param status          upstream HTTP status, 0 when there was no HTTP answer
 * @param outcome         {@code success}, the error kind in lower case, or {@code cancelled} (a hedge that lost)
 * @param hedge           whether this attempt was started as a hedge
 * @param durationNanos   from sending to the end of the attempt
 * @param firstTokenNanos from sending to the first stream event, 0 when none (or not a stream)
 */
public record AttemptRecord(String provider, String upstreamModel, String keyId, int status, String outcome,
                            boolean hedge, long durationNanos, long firstTokenNanos) {

    public String outcomeTag() {
        return outcome;
    }

    public boolean succeeded() {
        return outcome.equals("success");
    }
}
