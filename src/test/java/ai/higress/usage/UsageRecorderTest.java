package ai.higress.usage;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import ai.higress.config.UsageConfig;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsageRecorderTest {

    private static UsageRecord record(String id) {
        return new UsageRecord(id, Instant.EPOCH, "key_1", "chat.completions", "smart", "openai", "gpt-4o", false, 200,
                "success", "", 12, -1, 10, 5, 0, BigDecimal.ZERO,
                ai.higress.schema.Json.MAPPER.createArrayNode());
    }

    /** A sink that keeps every record and every batch size; optionally fails its first calls. */
    private static final class CollectingSink implements UsageSink {
        final ConcurrentLinkedQueue<UsageRecord> written = new ConcurrentLinkedQueue<>();
        final List<Integer> batchSizes = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger failuresLeft;

        CollectingSink(int failures) {
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public void write(List<UsageRecord> batch) throws Exception {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new java.sql.SQLException("database is down");
            }
            batchSizes.add(batch.size());
            written.addAll(batch);
        }
    }

    private static final class CountingListener implements UsageListener {
        final AtomicLong written = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong failures = new AtomicLong();

        @Override
        public void written(int count) {
            written.addAndGet(count);
        }

        @Override
        public void dropped(int count) {
            dropped.addAndGet(count);
        }

        @Override
        public void writeFailed(Exception failure) {
            failures.incrementAndGet();
        }
    }

    @Test
    void manyConcurrentWritersLoseNothingAndAGracefulStopDrainsTheQueue() throws InterruptedException {
        CollectingSink sink = new CollectingSink(0);
        CountingListener listener = new CountingListener();
        UsageRecorder recorder = new UsageRecorder(new UsageConfig(100_000, 500, Duration.ofMillis(20),
                Duration.ofMillis(100), Duration.ofSeconds(30)), sink, listener);
        int threads = 64;
        int perThread = 500;
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    recorder.record(record(thread + "-" + i));
                }
                done.countDown();
            });
        }
        done.await();
        recorder.close();

        Set<String> ids = new HashSet<>();
        sink.written.forEach(written -> ids.add(written.requestId()));
        assertEquals(threads * perThread, sink.written.size(), "nothing lost");
        assertEquals(threads * perThread, ids.size(), "nothing written twice");
        assertTrue(sink.batchSizes.stream().allMatch(size -> size >= 1 && size <= 500), sink.batchSizes.toString());
        assertTrue(sink.batchSizes.size() < threads * perThread / 10, "records are batched: " + sink.batchSizes.size());
        assertEquals(threads * perThread, listener.written.get());
        assertEquals(0, recorder.droppedCount());
    }

    @Test
    void anOutageBuffersRecordsAndRecordingResumesByItself() {
        CollectingSink sink = new CollectingSink(3);
        CountingListener listener = new CountingListener();
        UsageRecorder recorder = new UsageRecorder(new UsageConfig(1000, 50, Duration.ofMillis(5),
                Duration.ofMillis(20), Duration.ofSeconds(30)), sink, listener);
        for (int i = 0; i < 200; i++) {
            assertTrue(recorder.record(record("r" + i)));
        }
        recorder.close();

        assertEquals(200, sink.written.size(), "everything written once the database came back");
        assertEquals(3, listener.failures.get());
        assertEquals(0, listener.dropped.get());
    }

    @Test
    void beyondTheBoundRecordsAreDroppedAndCountedNeverBlocking() {
        CollectingSink sink = new CollectingSink(Integer.MAX_VALUE);
        CountingListener listener = new CountingListener();
        UsageRecorder recorder = new UsageRecorder(new UsageConfig(100, 10, Duration.ofMillis(5),
                Duration.ofMillis(10), Duration.ofMillis(300)), sink, listener);
        int accepted = 0;
        for (int i = 0; i < 1000; i++) {
            if (recorder.record(record("r" + i))) {
                accepted++;
            }
        }
        assertTrue(accepted >= 100 && accepted <= 110, "queue bound plus the batch in hand: " + accepted);
        assertEquals(1000 - accepted, listener.dropped.get());
        recorder.close();
        assertEquals(0, sink.written.size());
        assertEquals(1000, listener.dropped.get(), "records still queued at the end of the drain timeout count as dropped"
                + " (the batch in hand too): " + listener.dropped.get());
    }

    @Test
    void afterCloseRecordsAreRefusedAndCounted() {
        CountingListener listener = new CountingListener();
        UsageRecorder recorder = new UsageRecorder(new UsageConfig(10, 5, Duration.ofMillis(5), Duration.ofMillis(10),
                Duration.ofSeconds(1)), new CollectingSink(0), listener);
        recorder.close();
        assertEquals(false, recorder.record(record("late")));
        assertEquals(1, listener.dropped.get());
    }
}
