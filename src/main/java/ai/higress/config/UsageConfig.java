package ai.higress.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * The request and usage log recorder.
 *
 * @param queueSize       records buffered in memory at most (while the database is slow or down)
 * @param batchSize       records per insert
 * @param flushInterval   longest wait before a partial batch is written
 * @param maxRetryBackoff longest pause between retries of a failed batch
 * @param drainTimeout    how long a graceful stop waits for queued records to be written
 */
public record UsageConfig(int queueSize, int batchSize, Duration flushInterval, Duration maxRetryBackoff,
                          Duration drainTimeout) {

    static UsageConfig create(Config node) {
        UsageConfig config = new UsageConfig(Nodes.integer(node.get("queue-size"), 20_000, 1, 10_000_000),
                Nodes.integer(node.get("batch-size"), 500, 1, 10_000),
                Nodes.duration(node.get("flush-interval"), Duration.ofSeconds(1)),
                Nodes.duration(node.get("max-retry-backoff"), Duration.ofSeconds(30)),
                Nodes.duration(node.get("drain-timeout"), Duration.ofSeconds(10)));
        if (config.batchSize() > config.queueSize()) {
            throw new ConfigException(Nodes.key(node.get("batch-size")), "must not exceed usage.queue-size");
        }
        return config;
    }
}
