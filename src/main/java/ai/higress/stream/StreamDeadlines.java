package ai.higress.stream;

import java.time.Duration;

import ai.higress.upstream.Watchdog;

/**
 * The deadlines of one streaming attempt, as {@link System#nanoTime()} values.
 *
 * @param attemptStartNanos when the attempt was sent
 * @param firstToken        time-to-first-token timeout
 * @param idle              longest silence between events
 * @param totalDeadline     the request's overall deadline
 */
public record StreamDeadlines(long attemptStartNanos, Duration firstToken, Duration idle, long totalDeadline) {

    long firstTokenDeadline() {
        return Math.min(attemptStartNanos + firstToken.toNanos(), totalDeadline);
    }

    Watchdog.Phase firstTokenPhase() {
        return attemptStartNanos + firstToken.toNanos() <= totalDeadline ? Watchdog.Phase.FIRST_TOKEN
                : Watchdog.Phase.TOTAL;
    }

    long idleDeadline(long now) {
        return Math.min(now + idle.toNanos(), totalDeadline);
    }

    Watchdog.Phase idlePhase(long now) {
        return now + idle.toNanos() <= totalDeadline ? Watchdog.Phase.IDLE : Watchdog.Phase.TOTAL;
    }
}
