package ai.higress.storage;

import java.time.Instant;
import java.util.Optional;

import ai.higress.observe.Outcome;

/**
 * Which request log rows a query or an aggregate covers; every present criterion must hold.
 *
 * @param apiKeyId     exact API key id
 * @param logicalModel exact logical model
 * @param providerId   exact provider
 * @param outcome      exact outcome
 * @param from         created at or after (inclusive)
 * @param to           created before (exclusive)
 */
public record RequestLogFilter(Optional<String> apiKeyId, Optional<String> logicalModel, Optional<String> providerId,
                               Optional<Outcome> outcome, Optional<Instant> from, Optional<Instant> to) {
    public static final RequestLogFilter ALL = new RequestLogFilter(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public RequestLogFilter withApiKey(String id) {
        return new RequestLogFilter(Optional.of(id), logicalModel, providerId, outcome, from, to);
    }

    public RequestLogFilter withLogicalModel(String model) {
        return new RequestLogFilter(apiKeyId, Optional.of(model), providerId, outcome, from, to);
    }

    public RequestLogFilter withProvider(String id) {
        return new RequestLogFilter(apiKeyId, logicalModel, Optional.of(id), outcome, from, to);
    }

    public RequestLogFilter withOutcome(Outcome value) {
        return new RequestLogFilter(apiKeyId, logicalModel, providerId, Optional.of(value), from, to);
    }

    /** Rows created in {@code [start, end)}. */
    public RequestLogFilter between(Instant start, Instant end) {
        return new RequestLogFilter(apiKeyId, logicalModel, providerId, outcome, Optional.of(start), Optional.of(end));
    }

    Where where() {
        return new Where()
                .and(apiKeyId, "api_key_id = ?")
                .and(logicalModel, "logical_model = ?")
                .and(providerId, "provider_id = ?")
                .and(outcome, "outcome = ?", Outcome::tag)
                .and(from, "created_at >= ?", Sql::timestamp)
                .and(to, "created_at < ?", Sql::timestamp);
    }
}
