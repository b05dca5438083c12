package ai.higress.session;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/** Sessions in this process (one node, no Redis): a bounded LRU map with the same sliding expiry. */
public final class LocalSessionStore implements SessionStore {
    private final ReentrantLock lock = new ReentrantLock();
    private final LongSupplier clockMillis;
    private final Map<String, Session> sessions;

    public LocalSessionStore(int maxSessions, LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
        this.sessions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
                return size() > maxSessions;
            }
        };
    }

    private static final class Session {
        final Deque<String> snippets = new ArrayDeque<>();
        StickyTarget sticky;
        long expiresAt;
    }

    @Override
    public Optional<StickyTarget> sticky(String owner, String id, Duration ttl) {
        lock.lock();
        try {
            return live(owner, id, ttl).map(entry -> entry.sticky);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void append(String owner, String id, String snippet, StickyTarget sticky, int maxTurns, Duration ttl) {
        lock.lock();
        try {
            Session entry = live(owner, id, ttl).orElseGet(() -> {
                Session created = new Session();
                sessions.put(key(owner, id), created);
                return created;
            });
            entry.snippets.addLast(snippet);
            while (entry.snippets.size() > maxTurns) {
                entry.snippets.removeFirst();
            }
            entry.sticky = sticky;
            entry.expiresAt = clockMillis.getAsLong() + ttl.toMillis();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<SessionView> read(String owner, String id, Duration ttl) {
        lock.lock();
        try {
            return live(owner, id, ttl).map(entry -> new SessionView(Optional.ofNullable(entry.sticky),
                    new ArrayList<>(entry.snippets), ttl));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean delete(String owner, String id) {
        lock.lock();
        try {
            Session removed = sessions.remove(key(owner, id));
            return removed != null && removed.expiresAt > clockMillis.getAsLong();
        } finally {
            lock.unlock();
        }
    }

    /** The unexpired entry, its expiry slid forward; an expired one is dropped. */
    private Optional<Session> live(String owner, String id, Duration ttl) {
        String key = key(owner, id);
        Session entry = sessions.get(key);
        long now = clockMillis.getAsLong();
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.expiresAt <= now) {
            sessions.remove(key);
            return Optional.empty();
        }
        entry.expiresAt = now + ttl.toMillis();
        return Optional.of(entry);
    }

    private static String key(String owner, String id) {
        return owner + "\u0000" + id;
    }
}
