package ai.higress.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.higress.redis.RedisScript;
import ai.higress.redis.RedisStore;
import ai.higress.redis.RedisUnavailableException;

/**
 * Sessions shared by every replica: {@code higress:session:{<keyId>}:<sessionId>:turns} (a list trimmed to the newest
 * turns) and {@code ...:meta} (a hash holding the sticky target and the owner's name). The key id is the hash tag, so
 * a session's keys and its owner's recent index {@code higress:session:{<keyId>}:recent} share a cluster slot; every
 * operation on them is one Lua script that also slides the session's expiry.
 *
 * <p>The gateway-wide recent index {@code higress:sessions:recent} lives in a slot of its own, so a write updates it
 * with a second script; a failure there only costs the listing an entry. Both indexes are sorted sets scored by last
 * write, pruned by age and bounded in length on every write: listing never scans the keyspace.
 */
public final class RedisSessionStore implements SessionStore {
    static final String PREFIX = "higress:session:";
    static final String RECENT = "higress:sessions:recent";
    private static final System.Logger LOGGER = System.getLogger(RedisSessionStore.class.getName());
    private static final RedisScript STICKY = RedisScript.resource(RedisSessionStore.class, "sticky.lua");
    private static final RedisScript APPEND = RedisScript.resource(RedisSessionStore.class, "append.lua");
    private static final RedisScript READ = RedisScript.resource(RedisSessionStore.class, "read.lua");
    private static final RedisScript DELETE = RedisScript.resource(RedisSessionStore.class, "delete.lua");
    private static final RedisScript INDEX = RedisScript.resource(RedisSessionStore.class, "index.lua");
    private static final RedisScript LIST = RedisScript.resource(RedisSessionStore.class, "recent.lua");
    private static final RedisScript SUMMARY = RedisScript.resource(RedisSessionStore.class, "summary.lua");

    private final RedisStore store;
    private final int indexLength;

    /** @param indexLength most entries each recent index keeps */
    public RedisSessionStore(RedisStore store, int indexLength) {
        this.store = store;
        this.indexLength = indexLength;
    }

    @Override
    public Optional<StickyTarget> sticky(String owner, String id, Duration ttl) {
        List<?> reply = (List<?>) store.eval(STICKY, keys(owner, id).subList(0, 2),
                List.of(Long.toString(ttl.toMillis())));
        return sticky(reply, 0);
    }

    @Override
    public void append(String owner, String ownerName, String id, String snippet, StickyTarget sticky, int maxTurns,
                       Duration ttl) {
        store.eval(APPEND, keys(owner, id), List.of(snippet, Integer.toString(maxTurns), Long.toString(ttl.toMillis()),
                sticky.provider(), sticky.model(), ownerName, id, Integer.toString(indexLength)));
        try {
            store.eval(INDEX, List.of(RECENT), List.of(id + " " + owner, Long.toString(ttl.toMillis()),
                    Integer.toString(indexLength), ""));
        } catch (RedisUnavailableException e) {
            LOGGER.log(System.Logger.Level.DEBUG, "session not listed as recent: {0}", e.getMessage());
        }
    }

    @Override
    public Optional<SessionView> read(String owner, String id, Duration ttl) {
        List<?> reply = (List<?>) store.eval(READ, keys(owner, id).subList(0, 2),
                List.of(Long.toString(ttl.toMillis())));
        if (((Number) reply.get(0)).longValue() == 0) {
            return Optional.empty();
        }
        List<String> snippets = new ArrayList<>();
        for (Object snippet : (List<?>) reply.get(3)) {
            snippets.add((String) snippet);
        }
        return Optional.of(new SessionView(sticky(reply, 1), snippets, ttl));
    }

    @Override
    public boolean delete(String owner, String id) {
        boolean removed = ((Number) store.eval(DELETE, keys(owner, id), List.of(id))).longValue() > 0;
        try {
            store.eval(INDEX, List.of(RECENT), List.of(id + " " + owner, "0", "0", "del"));
        } catch (RedisUnavailableException e) {
            // the listing skips entries whose session is gone
        }
        return removed;
    }

    @Override
    public RecentPage recent(Optional<String> owner, int limit, Optional<RecentCursor> after, Duration ttl) {
        String index = owner.map(RedisSessionStore::ownerIndex).orElse(RECENT);
        List<?> reply = (List<?>) store.eval(LIST, List.of(index), List.of(Long.toString(ttl.toMillis()),
                after.map(cursor -> Long.toString(cursor.lastWriteMillis())).orElse("+inf"),
                Integer.toString(after.map(RecentCursor::skip).orElse(0)), Integer.toString(limit + 1)));
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < reply.size() && entries.size() < limit + 1; i += 2) {
            String member = (String) reply.get(i);
            long time = (long) Double.parseDouble((String) reply.get(i + 1));
            int space = member.indexOf(' ');
            entries.add(owner.isPresent() ? new Entry(owner.get(), member, time)
                    : new Entry(member.substring(space + 1), member.substring(0, space), time));
        }
        boolean more = entries.size() > limit;
        List<Entry> page = entries.subList(0, Math.min(limit, entries.size()));
        Optional<RecentCursor> next = more ? Optional.of(RecentCursor.after(page.stream().map(Entry::time).toList(),
                after)) : Optional.empty();
        return new RecentPage(summaries(page), next);
    }

    /** Reads the page's sessions, one script per owner; sessions gone since they were indexed are left out. */
    private List<SessionSummary> summaries(List<Entry> page) {
        Map<String, List<Entry>> byOwner = new LinkedHashMap<>();
        page.forEach(entry -> byOwner.computeIfAbsent(entry.owner(), owner -> new ArrayList<>()).add(entry));
        Map<Entry, SessionSummary> found = new LinkedHashMap<>();
        byOwner.forEach((owner, entries) -> {
            List<String> keys = new ArrayList<>();
            entries.forEach(entry -> keys.addAll(keys(owner, entry.id()).subList(0, 2)));
            List<?> reply = (List<?>) store.eval(SUMMARY, keys, List.of());
            for (int i = 0; i < entries.size(); i++) {
                int at = 6 * i;
                if (((Number) reply.get(at)).longValue() == 0) {
                    continue;
                }
                Entry entry = entries.get(i);
                found.put(entry, new SessionSummary(owner, reply.get(at + 4) instanceof String name ? name : "",
                        entry.id(), ((Number) reply.get(at + 1)).intValue(), sticky(reply, at + 2),
                        Instant.ofEpochMilli(entry.time()), Duration.ofMillis(Math.max(0,
                        ((Number) reply.get(at + 5)).longValue()))));
            }
        });
        return page.stream().filter(found::containsKey).map(found::get).toList();
    }

    /** The list, hash and owner-index keys; '}' and '%' in the key id are escaped so the hash tag cannot end early. */
    static List<String> keys(String owner, String id) {
        String base = PREFIX + "{" + tag(owner) + "}:" + id + ":";
        return List.of(base + "turns", base + "meta", ownerIndex(owner));
    }

    static String ownerIndex(String owner) {
        return PREFIX + "{" + tag(owner) + "}:recent";
    }

    private static String tag(String owner) {
        return owner.replace("%", "%25").replace("}", "%7D");
    }

    private static Optional<StickyTarget> sticky(List<?> reply, int at) {
        Object provider = reply.get(at);
        Object model = reply.get(at + 1);
        if (provider instanceof String p && model instanceof String m && !p.isEmpty()) {
            return Optional.of(new StickyTarget(p, m));
        }
        return Optional.empty();
    }

    /** One index entry: whose session, which, and when it was last written (epoch ms). */
    private record Entry(String owner, String id, long time) {
    }
}
