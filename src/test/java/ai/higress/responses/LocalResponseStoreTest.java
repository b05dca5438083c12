package ai.higress.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The in-process store, on an injected clock. */
class LocalResponseStoreTest extends ResponseStoreContract {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LocalResponseStore store = new LocalResponseStore(1 << 20, now::get);

    @Override
    ResponseStore store() {
        return store;
    }

    @Override
    void elapse(Duration duration) {
        now.addAndGet(duration.toMillis());
    }

    @Test
    void theLeastRecentlyUsedRecordsGoWhenTheBytesRunOut() {
        // 2 bytes per char: three 200-char records fit in 1,200 bytes, a fourth pushes out the least recently used
        LocalResponseStore small = new LocalResponseStore(1_200, now::get);
        String record = "x".repeat(200);
        small.put("o", "a", record, DAY);
        small.put("o", "b", record, DAY);
        small.put("o", "c", record, DAY);
        small.get("o", "a");
        small.put("o", "d", record, DAY);
        assertEquals(Optional.empty(), small.get("o", "b"));
        assertEquals(Optional.of(record), small.get("o", "a"));
        assertEquals(Optional.of(record), small.get("o", "d"));
    }

    @Test
    void replacingARecordDoesNotCountItTwice() {
        LocalResponseStore small = new LocalResponseStore(800, now::get);
        String record = "x".repeat(200);
        small.put("o", "a", record, DAY);
        small.put("o", "a", record, DAY);
        small.put("o", "b", record, DAY);
        assertEquals(Optional.of(record), small.get("o", "a"));
    }
}
