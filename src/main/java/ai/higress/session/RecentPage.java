package ai.higress.session;

import java.util.List;
import java.util.Optional;

/**
 * A page of recently written sessions, newest first. A page may hold fewer entries than asked for while a next page
 * exists (entries of sessions that expired or were deleted since are left out).
 *
 * @param sessions the sessions on this page
 * @param next     where the next page starts; empty on the last page
 */
public record RecentPage(List<SessionSummary> sessions, Optional<RecentCursor> next) {
    public RecentPage {
        sessions = List.copyOf(sessions);
    }
}
