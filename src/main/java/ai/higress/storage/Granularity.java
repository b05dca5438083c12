package ai.higress.storage;

import java.time.Duration;

/** The width of usage buckets. Buckets are aligned to UTC hours and UTC days. */
public enum Granularity {
    HOUR(Duration.ofHours(1)),
    DAY(Duration.ofDays(1));

    private final Duration width;

    Granularity(Duration width) {
        this.width = width;
    }

    public Duration width() {
        return width;
    }
}
