package ai.higress.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RetryAfterTest {
    /** Thu, 14 Aug 2025 02:18:43 GMT: the Date of a recorded OpenAI answer. */
    private static final Instant NOW = Instant.parse("2025-08-14T02:18:43Z");

    private static Optional<Duration> parse(Map<String, String> headers) {
        return RetryAfter.parse(headers, NOW);
    }

    private static Optional<Duration> retryAfter(String value) {
        return parse(Map.of("retry-after", value));
    }

    @Test
    void seconds() {
        assertEquals(Optional.of(Duration.ofSeconds(20)), retryAfter("20"));
        assertEquals(Optional.of(Duration.ofSeconds(3)), retryAfter(" 3 "));
        assertEquals(Optional.of(Duration.ZERO), retryAfter("0"));
    }

    @Test
    void fractionalSeconds() {
        assertEquals(Optional.of(Duration.ofMillis(1500)), retryAfter("1.5"));
        assertEquals(Optional.of(Duration.ofMillis(250)), retryAfter("0.25"));
        assertEquals(Optional.of(Duration.ofMillis(1)), retryAfter("0.0019"), "truncated to whole milliseconds");
    }

    @Test
    void milliseconds() {
        assertEquals(Optional.of(Duration.ofMillis(250)), parse(Map.of("retry-after-ms", "250")));
        assertEquals(Optional.of(Duration.ofMillis(250)), parse(Map.of("retry-after-ms", "250.9")));
    }

    @Test
    void millisecondsWinOverSeconds() {
        assertEquals(Optional.of(Duration.ofMillis(1200)),
                parse(Map.of("retry-after-ms", "1200", "retry-after", "2")));
    }

    @Test
    void garbageMillisecondsFallBackToSeconds() {
        assertEquals(Optional.of(Duration.ofSeconds(2)), parse(Map.of("retry-after-ms", "soon", "retry-after", "2")));
        assertEquals(Optional.empty(), parse(Map.of("retry-after-ms", "soon")));
    }

    @Test
    void httpDate() {
        assertEquals(Optional.of(Duration.ofSeconds(30)), retryAfter("Thu, 14 Aug 2025 02:19:13 GMT"));
        assertEquals(Optional.of(Duration.ofHours(2)), retryAfter("Thu, 14 Aug 2025 04:18:43 GMT"));
    }

    @Test
    void pastDateMeansNow() {
        assertEquals(Optional.of(Duration.ZERO), retryAfter("Wed, 13 Aug 2025 02:18:43 GMT"));
        assertEquals(Optional.of(Duration.ZERO), retryAfter("Thu, 14 Aug 2025 02:18:43 GMT"));
    }

    @Test
    void negativeSecondsMeanNow() {
        assertEquals(Optional.of(Duration.ZERO), retryAfter("-5"));
        assertEquals(Optional.of(Duration.ZERO), parse(Map.of("retry-after-ms", "-100")));
    }

    @Test
    void garbageIsIgnored() {
        assertEquals(Optional.empty(), retryAfter("soon"));
        assertEquals(Optional.empty(), retryAfter("2025-08-14T02:19:13Z"));
        assertEquals(Optional.empty(), retryAfter("Thu, 14 Aug 2025"));
        assertEquals(Optional.empty(), retryAfter(""));
        assertEquals(Optional.empty(), retryAfter("   "));
    }

    @Test
    void absentIsEmpty() {
        assertEquals(Optional.empty(), parse(Map.of()));
        assertEquals(Optional.empty(), parse(Map.of("x-ratelimit-reset-requests", "soon")));
    }

    @Test
    void openAiResetHeadersAreUsedWhenThereIsNoRetryAfter() {
        assertEquals(Optional.of(Duration.ofMillis(120)), parse(Map.of("x-ratelimit-reset-requests", "120ms")));
        assertEquals(Optional.of(Duration.ofSeconds(360)), parse(Map.of("x-ratelimit-reset-tokens", "6m0s")));
        assertEquals(Optional.of(Duration.ofMillis(3_723_500)),
                parse(Map.of("x-ratelimit-reset-requests", "1h2m3.5s", "x-ratelimit-reset-tokens", "1s")),
                "the later of the two resets");
        assertEquals(Optional.of(Duration.ofSeconds(2)),
                parse(Map.of("retry-after", "2", "x-ratelimit-reset-tokens", "6m0s")), "retry-after wins");
        assertEquals(Optional.empty(), parse(Map.of("x-ratelimit-reset-tokens", "6m0sx")));
    }

    @Test
    void cappedAtOneDay() {
        Optional<Duration> day = Optional.of(Duration.ofHours(24));
        assertEquals(day, retryAfter("86400"));
        assertEquals(day, retryAfter("86401"));
        assertEquals(day, retryAfter("1e12"));
        assertEquals(day, retryAfter("Sun, 17 Aug 2025 02:18:43 GMT"));
        assertEquals(day, parse(Map.of("retry-after-ms", "999999999999999")));
        assertEquals(Optional.of(Duration.ofSeconds(86399)), retryAfter("86399"));
    }
}
