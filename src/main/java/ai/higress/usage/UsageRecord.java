package ai.higress.usage;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One client request as the request log keeps it. Never prompt or completion text.
 *
 * @param requestId        the request id
 * @param createdAt        when the request arrived
 * @param apiKeyId         the caller's key id
 * @param route            e.g. {@code chat.completions}
 * @param logicalModel     the model as routed (alias), empty when it never resolved
 * @param providerId       the provider that served it, empty when none did
 * @param upstreamModel    the upstream model that served it, empty when none did
 * @param stream           whether the client streamed
 * @param status           the HTTP status the client got
 * @param outcome          the outcome tag
 * @param errorCode        the error code the client got, empty on success
 * @param durationMs       total duration
 * @param ttftMs           time to first token, -1 when not a stream or none
 * @param promptTokens     prompt tokens
 * @param completionTokens completion tokens
 * @param cachedTokens     cached prompt tokens
 * @param costUsd          cost from the catalog prices
 * @param attempts         every attempt: provider, model, key id, status, outcome, duration (a JSON array)
 */
public record UsageRecord(String requestId, Instant createdAt, String apiKeyId, String route, String logicalModel,
                          String providerId, String upstreamModel, boolean stream, int status, String outcome,
                          String errorCode, long durationMs, long ttftMs, long promptTokens, long completionTokens,
                          long cachedTokens, BigDecimal costUsd,
                          com.fasterxml.jackson.databind.JsonNode attempts) {
}
