package ai.higress.auth;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Limits of one client key.
 *
 * @param requestsPerMinute requests per minute, when limited
 * @param tokensPerMinute   tokens per minute, when limited
 * @param budgetUsd         total spend allowed, when limited
 */
public record KeyLimits(OptionalInt requestsPerMinute, OptionalInt tokensPerMinute, Optional<BigDecimal> budgetUsd) {
    public static final KeyLimits NONE = new KeyLimits(OptionalInt.empty(), OptionalInt.empty(), Optional.empty());
}
