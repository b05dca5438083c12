package ai.higress.storage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

import ai.higress.observe.Outcome;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One client request in the usage log: who, what, where it went, what it cost. Never prompt or completion text.
 *
 * @param requestId        the request id (unique)
 * @param createdAt        when the request arrived
 * @param apiKeyId         the API key id, or {@code config:<name>} for a key from the configuration file
 * @param route            the ingress route, e.g. {@code chat}
 * @param logicalModel     the model the client asked for
 * @param providerId       the provider that served it (of the last attempt)
 * @param upstreamModel    the upstream model of that attempt
 * @param stream           whether the client asked for a stream
 * @param status           the HTTP status sent to the client
 * @param outcome          how the request ended
 * @param errorCode        the error code sent, empty on success
 * @param durationMs       total time
 * @param ttftMs           time to first token, for streams that produced one
 * @param promptTokens     prompt tokens
 * @param completionTokens completion tokens
 * @param cachedTokens     cached prompt tokens
 * @param costUsd          what it cost
 * @param attempts         the attempt log as a JSON array
 */
public record RequestLogEntry(String requestId, Instant createdAt, String apiKeyId, String route,
                              String logicalModel, String providerId, String upstreamModel, boolean stream,
                              int status, Outcome outcome, String errorCode, int durationMs, Optional<Integer> ttftMs,
                              long promptTokens, long completionTokens, long cachedTokens, BigDecimal costUsd,
                              JsonNode attempts) {
    public RequestLogEntry {
        createdAt = Sql.micros(createdAt);
        costUsd = Rows.money(costUsd);
    }
}
