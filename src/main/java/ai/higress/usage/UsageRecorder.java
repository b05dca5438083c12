package ai.higress.usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import ai.higress.config.UsageConfig;

/**
 * A bounded queue of usage records drained by one virtual thread into batched writes. {@link #record} never blocks and
 * never fails a request: when the queue is full the record is dropped and counted. A failed batch is kept and retried
 * with exponential backoff while new records queue behind it, so a database outage loses nothing until the bound is
 * reached and recording resumes by itself. {@link #close} stops accepting and drains what is queued.
 */
public final class UsageRecorder implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(UsageRecorder.class.getName());

    private final UsageConfig config;
    private final UsageSink sink;
    private final UsageListener listener;
    private final BlockingQueue<UsageRecord> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread drainer;
    private volatile boolean accepting = true;
    private volatile boolean stopping;

    public UsageRecorder(UsageConfig config, UsageSink sink, UsageListener listener) {
        this.config = config;
        this.sink = sink;
        this.listener = listener;
        this.queue = new ArrayBlockingQueue<>(config.queueSize());
        this.drainer = Thread.ofVirtual().name("usage-recorder").start(this::drain);
    }

    /** Queues a record; returns false (and counts it) when it had to be dropped. */
    public boolean record(UsageRecord record) {
        if (accepting && queue.offer(record)) {
            return true;
        }
        dropped.incrementAndGet();
        listener.dropped(1);
        return false;
    }

    public int queued() {
        return queue.size();
    }

    public long droppedCount() {
        return dropped.get();
    }

    /** Stops accepting records and waits (up to the configured drain timeout) until every queued one is written. */
    @Override
    public void close() {
        accepting = false;
        stopping = true;
        try {
            drainer.join(config.drainTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (drainer.isAlive()) {
            drainer.interrupt();
            try {
                drainer.join(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void drain() {
        List<UsageRecord> batch = new ArrayList<>(config.batchSize());
        Duration backoff = config.flushInterval();
        while (!(stopping && queue.isEmpty() && batch.isEmpty())) {
            try {
                if (batch.isEmpty()) {
                    UsageRecord first = queue.poll(config.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                }
                queue.drainTo(batch, config.batchSize() - batch.size());
                sink.write(batch);
                listener.written(batch.size());
                batch.clear();
                backoff = config.flushInterval();
            } catch (InterruptedException e) {
                abandon(batch);
                return;
            } catch (Exception failure) {
                listener.writeFailed(failure);
                LOGGER.log(System.Logger.Level.WARNING, "writing " + batch.size()
                        + " usage records failed; retrying in " + backoff + ": " + failure);
                if (!pause(backoff)) {
                    abandon(batch);
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(config.maxRetryBackoff()) > 0
                        ? config.maxRetryBackoff() : backoff.multipliedBy(2);
            }
        }
    }

    /** The stop's drain timeout ran out: whatever was not written is counted as dropped. */
    private void abandon(List<UsageRecord> batch) {
        int lost = batch.size();
        batch.clear();
        List<UsageRecord> rest = new ArrayList<>();
        queue.drainTo(rest);
        lost += rest.size();
        if (lost > 0) {
            dropped.addAndGet(lost);
            listener.dropped(lost);
            LOGGER.log(System.Logger.Level.WARNING, lost + " usage records were not written before shutdown");
        }
    }

    private boolean pause(Duration duration) {
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
