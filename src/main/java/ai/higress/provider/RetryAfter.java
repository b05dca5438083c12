package ai.higress.provider;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/** Reads how long an upstream asked us to wait: {@code retry-after-ms}, then {@code retry-after} (seconds or a date). */
public final class RetryAfter {
    private static final Duration MAX = Duration.ofHours(24);

    private RetryAfter() {
    }

    public static Optional<Duration> parse(Map<String, String> headers, Instant now) {
        String millis = headers.get("retry-after-ms");
        if (millis != null) {
            try {
                return bounded(Duration.ofMillis((long) Double.parseDouble(millis.strip())));
            } catch (NumberFormatException e) {
                // fall through to retry-after
            }
        }
        String value = headers.get("retry-after");
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return bounded(Duration.ofMillis((long) (Double.parseDouble(value.strip()) * 1000)));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return bounded(Duration.between(now, at));
            } catch (DateTimeParseException ignored) {
                return Optional.empty();
            }
        }
    }

    private static Optional<Duration> bounded(Duration duration) {
        if (duration.isNegative()) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(duration.compareTo(MAX) > 0 ? MAX : duration);
    }
}
