package ai.higress.session;

import java.time.Duration;
import java.util.Optional;

/**
 * Where sessions live. {@code owner} is the caller's key id: every operation is scoped by it, so one key never sees
 * another key's session. Every read and write slides the expiry forward by {@code ttl}.
 */
public interface SessionStore {

    /** The session's sticky target, refreshing its expiry; empty for no session. */
    Optional<StickyTarget> sticky(String owner, String id, Duration ttl);

    /**
     * Appends a snippet (a JSON object), keeps the newest {@code maxTurns}, sets the sticky target, and records the
     * session (with its owner's name) as recently written.
     */
    void append(String owner, String ownerName, String id, String snippet, StickyTarget sticky, int maxTurns,
                Duration ttl);

    /** The whole session, refreshing its expiry; empty for no session. */
    Optional<SessionView> read(String owner, String id, Duration ttl);

    /** Removes the session; whether there was one. */
    boolean delete(String owner, String id);

    /**
     * Sessions written within the last {@code ttl}, newest write first, from {@code after} on; only {@code owner}'s
     * when given. Bounded by the store's recent index; never slides any session's expiry.
     */
    RecentPage recent(Optional<String> owner, int limit, Optional<RecentCursor> after, Duration ttl);
}
