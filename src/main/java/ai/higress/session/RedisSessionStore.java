package ai.higress.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.redis.RedisScript;
import ai.higress.redis.RedisStore;

/**
 * Sessions shared by every replica: {@code higress:session:{<keyId>}:<sessionId>:turns} (a list trimmed to the newest
 * turns) and {@code ...:meta} (a hash holding the sticky target). The key id is the hash tag, so both keys of a session
 * share a cluster slot; every operation is one Lua script that also slides the expiry of both keys.
 */
public final class RedisSessionStore implements SessionStore {
    static final String PREFIX = "higress:session:";
    private static final RedisScript STICKY = RedisScript.resource(RedisSessionStore.class, "sticky.lua");
    private static final RedisScript APPEND = RedisScript.resource(RedisSessionStore.class, "append.lua");
    private static final RedisScript READ = RedisScript.resource(RedisSessionStore.class, "read.lua");
    private static final RedisScript DELETE = RedisScript.resource(RedisSessionStore.class, "delete.lua");

    private final RedisStore store;

    public RedisSessionStore(RedisStore store) {
        this.store = store;
    }

    @Override
    public Optional<StickyTarget> sticky(String owner, String id, Duration ttl) {
        List<?> reply = (List<?>) store.eval(STICKY, keys(owner, id), List.of(Long.toString(ttl.toMillis())));
        return sticky(reply, 0);
    }

    @Override
    public void append(String owner, String id, String snippet, StickyTarget sticky, int maxTurns, Duration ttl) {
        store.eval(APPEND, keys(owner, id), List.of(snippet, Integer.toString(maxTurns), Long.toString(ttl.toMillis()),
                sticky.provider(), sticky.model()));
    }

    @Override
    public Optional<SessionView> read(String owner, String id, Duration ttl) {
        List<?> reply = (List<?>) store.eval(READ, keys(owner, id), List.of(Long.toString(ttl.toMillis())));
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
        return ((Number) store.eval(DELETE, keys(owner, id), List.of())).longValue() > 0;
    }

    /** The list and hash keys; '}' and '%' in the key id are escaped so the hash tag cannot end early. */
    static List<String> keys(String owner, String id) {
        String tag = owner.replace("%", "%25").replace("}", "%7D");
        String base = PREFIX + "{" + tag + "}:" + id + ":";
        return List.of(base + "turns", base + "meta");
    }

    private static Optional<StickyTarget> sticky(List<?> reply, int at) {
        Object provider = reply.get(at);
        Object model = reply.get(at + 1);
        if (provider instanceof String p && model instanceof String m && !p.isEmpty()) {
            return Optional.of(new StickyTarget(p, m));
        }
        return Optional.empty();
    }
}
