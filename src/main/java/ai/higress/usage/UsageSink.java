package ai.higress.usage;

import java.util.List;

/** Where batches of usage records are written (the request-log repository). */
@FunctionalInterface
public interface UsageSink {

    /** Writes the whole batch or throws; a failed batch is retried as a whole. */
    void write(List<UsageRecord> batch) throws Exception;
}
