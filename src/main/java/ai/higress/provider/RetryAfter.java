package ai.higress.provider;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * Reads how long an upstream asked us to wait: {@code retry-after-ms}, then {@code retry-after} (seconds or a date),
 * then OpenAI's reset headers ({@code x-ratelimit-reset-requests} / {@code -tokens}, durations such as {@code 6m0s}).
 */
public final class RetryAfter {
    private static final Duration MAX = Duration.ofHours(24);
    private static final java.util.regex.Pattern GO_DURATION_PART =
            java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|ns|h|m|s)");

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
            return resetHeaders(headers);
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

    private static Optional<Duration> resetHeaders(Map<String, String> headers) {
        Optional<Duration> requests = goDuration(headers.get("x-ratelimit-reset-requests"));
        Optional<Duration> tokens = goDuration(headers.get("x-ratelimit-reset-tokens"));
        if (requests.isPresent() && tokens.isPresent()) {
            return bounded(requests.get().compareTo(tokens.get()) > 0 ? requests.get() : tokens.get());
        }
        return requests.or(() -> tokens).flatMap(RetryAfter::bounded);
    }

    /** Parses {@code 1h2m3.5s}, {@code 6m0s}, {@code 20ms}; empty when the text is anything else. */
    static Optional<Duration> goDuration(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        java.util.regex.Matcher part = GO_DURATION_PART.matcher(text.strip());
        double millis = 0;
        int end = 0;
        while (part.find() && part.start() == end) {
            double amount = Double.parseDouble(part.group(1));
            millis += switch (part.group(2)) {
                case "h" -> amount * 3_600_000;
                case "m" -> amount * 60_000;
                case "s" -> amount * 1000;
                case "ms" -> amount;
                case "us", "µs" -> amount / 1000;
                default -> amount / 1_000_000;
            };
            end = part.end();
        }
        return end == text.strip().length() && end > 0 ? Optional.of(Duration.ofMillis((long) Math.ceil(millis)))
                : Optional.empty();
    }

    private static Optional<Duration> bounded(Duration duration) {
        if (duration.isNegative()) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(duration.compareTo(MAX) > 0 ? MAX : duration);
    }
}
