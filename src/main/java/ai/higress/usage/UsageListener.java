package ai.higress.usage;

/** What the recorder reports for metrics. */
public interface UsageListener {
    UsageListener NONE = new UsageListener() {
    };

    /** Records written to the sink. */
    default void written(int count) {
    }

    /** Records dropped because the buffer was full (the sink was down or too slow). */
    default void dropped(int count) {
    }

    /** A batch failed to write and will be retried. */
    default void writeFailed(Exception failure) {
    }
}
