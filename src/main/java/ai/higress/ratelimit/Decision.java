package ai.higress.ratelimit;

import java.time.Duration;
import java.util.Optional;

/**
 * The answer to one admission check.
 *
 * @param allowed     whether the request may proceed
 * @param refusedBy   the limit that refused it, when refused
 * @param requests    the requests window, when the key has an rpm limit
 * @param tokens      the tokens window, when the key has a tpm limit
 * @param reservation the tokens reserved, when admitted under a tpm limit
 * @param retryAfter  when a refused request could succeed (zero when admitted)
 */
public record Decision(boolean allowed, Optional<LimitKind> refusedBy, Optional<WindowState> requests,
                       Optional<WindowState> tokens, Optional<Reservation> reservation, Duration retryAfter) {
}
