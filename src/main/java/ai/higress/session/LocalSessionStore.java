package ai.higress.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Sessions in this process (one node, no Redis): a bounded LRU map with the same sliding expiry. The map is its own
 * recent-session index: listing sorts its live entries by last write.
 */
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
        final String owner;
        final String id;
        final Deque<String> snippets = new ArrayDeque<>();
        String ownerName = "";
        StickyTarget sticky;
        long expiresAt;
        long lastWrite;

        Session(String owner, String id) {
            this.owner = owner;
            this.id = id;
        }
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
    public void append(String owner, String ownerName, String id, String snippet, StickyTarget sticky, int maxTurns,
                       Duration ttl) {
        lock.lock();
        try {
            Session entry = live(owner, id, ttl).orElseGet(() -> {
                Session created = new Session(owner, id);
                sessions.put(key(owner, id), created);
                return created;
            });
            entry.snippets.addLast(snippet);
            while (entry.snippets.size() > maxTurns) {
                entry.snippets.removeFirst();
            }
            entry.sticky = sticky;
            entry.ownerName = ownerName;
            entry.lastWrite = clockMillis.getAsLong();
            entry.expiresAt = entry.lastWrite + ttl.toMillis();
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

    @Override
    public RecentPage recent(Optional<String> owner, int limit, Optional<RecentCursor> after, Duration ttl) {
        List<SessionSummary> matching = new ArrayList<>();
        long now = clockMillis.getAsLong();
        lock.lock();
        try {
            for (Session entry : sessions.values()) {
                boolean listed = entry.expiresAt > now && entry.lastWrite > now - ttl.toMillis()
                        && owner.map(entry.owner::equals).orElse(true) && before(entry.lastWrite, after);
                if (listed) {
                    matching.add(new SessionSummary(entry.owner, entry.ownerName, entry.id, entry.snippets.size(),
                            Optional.ofNullable(entry.sticky), Instant.ofEpochMilli(entry.lastWrite),
                            Duration.ofMillis(entry.expiresAt - now)));
                }
            }
        } finally {
            lock.unlock();
        }
        // newest first; ties in a fixed order so that a cursor's skip count means the same entries every time
        matching.sort(Comparator.comparing(SessionSummary::lastWrite).reversed()
                .thenComparing(summary -> summary.id() + " " + summary.owner(), Comparator.reverseOrder()));
        int skip = after.map(cursor -> (int) matching.stream()
                .filter(summary -> summary.lastWrite().toEpochMilli() == cursor.lastWriteMillis()).limit(cursor.skip())
                .count()).orElse(0);
        List<SessionSummary> page = matching.subList(Math.min(skip, matching.size()),
                Math.min(skip + limit, matching.size()));
        boolean more = matching.size() > skip + limit;
        return new RecentPage(page, more ? Optional.of(RecentCursor.after(page.stream()
                .map(summary -> summary.lastWrite().toEpochMilli()).toList(), after)) : Optional.empty());
    }

    private static boolean before(long lastWrite, Optional<RecentCursor> after) {
        return after.map(cursor -> lastWrite <= cursor.lastWriteMillis()).orElse(true);
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
