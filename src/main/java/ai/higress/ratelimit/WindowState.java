package ai.higress.ratelimit;

import java.time.Duration;

/**
 * One limit's state after a check, as the {@code x-ratelimit-*} headers report it.
 *
 * @param limit     the limit per minute
 * @param remaining what is left of it now
 * @param reset     until the oldest counted entry leaves the window (the next moment {@code remaining} grows)
 */
public record WindowState(long limit, long remaining, Duration reset) {
}
