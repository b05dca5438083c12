package ai.higress.responses;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Stored responses in this process (one node, no Redis): a map in least-recently-used order, bounded by the total size
 * of its records, each record expiring {@code ttl} after it was put.
 */
public final class LocalResponseStore implements ResponseStore {
    /** The owner under which claims are kept: no key id is empty. */
    private static final String CLAIMS = "";

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Entry> records = new LinkedHashMap<>(16, 0.75f, true);
    private final long maxBytes;
    private final LongSupplier clockMillis;
    private long bytes;

    private record Entry(String record, long expiresAt) {
        long size() {
            // two bytes per char: the heap the record actually takes, not its UTF-8 length
            return 2L * record.length();
        }
    }

    public LocalResponseStore(long maxBytes, LongSupplier clockMillis) {
        this.maxBytes = maxBytes;
        this.clockMillis = clockMillis;
    }

    @Override
    public void put(String owner, String id, String record, Duration ttl) {
        Entry entry = new Entry(record, clockMillis.getAsLong() + ttl.toMillis());
        lock.lock();
        try {
            remove(key(owner, id));
            records.put(key(owner, id), entry);
            bytes += entry.size();
            Iterator<Entry> eldest = records.values().iterator();
            while (bytes > maxBytes && eldest.hasNext()) {
                bytes -= eldest.next().size();
                eldest.remove();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<String> get(String owner, String id) {
        lock.lock();
        try {
            Entry entry = records.get(key(owner, id));
            if (entry == null) {
                return Optional.empty();
            }
            if (entry.expiresAt() <= clockMillis.getAsLong()) {
                remove(key(owner, id));
                return Optional.empty();
            }
            return Optional.of(entry.record());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean delete(String owner, String id) {
        lock.lock();
        try {
            Entry removed = remove(key(owner, id));
            return removed != null && removed.expiresAt() > clockMillis.getAsLong();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void claim(String id, String owner, Duration ttl) {
        // claims share the records' map, and so their byte bound
        put(CLAIMS, id, owner, ttl);
    }

    @Override
    public Optional<String> claimant(String id) {
        return get(CLAIMS, id);
    }

    private Entry remove(String key) {
        Entry removed = records.remove(key);
        if (removed != null) {
            bytes -= removed.size();
        }
        return removed;
    }

    private static String key(String owner, String id) {
        return owner + "\u0000" + id;
    }
}
