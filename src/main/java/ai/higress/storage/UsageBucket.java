package ai.higress.storage;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Usage totals of one hour or one day (UTC).
 *
 * @param start            the bucket's first instant
 * @param requests         requests logged
 * @param errors           requests whose outcome was not {@code success}
 * @param promptTokens     prompt tokens
 * @param completionTokens completion tokens
 * @param costUsd          cost
 */
public record UsageBucket(Instant start, long requests, long errors, long promptTokens, long completionTokens,
                          BigDecimal costUsd) {
    public UsageBucket {
        costUsd = Rows.money(costUsd);
    }
}
