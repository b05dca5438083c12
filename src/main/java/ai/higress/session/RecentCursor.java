package ai.higress.session;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Where a page of the recent-session listing ends: the last write time of its last entry, and how many entries with
 * exactly that time were already listed. Entries are ordered by last write, newest first; the next page starts at that
 * time and skips those. Opaque to clients (URL-safe base64).
 *
 * @param lastWriteMillis epoch milliseconds of the last entry listed
 * @param skip            entries with that very time already listed
 */
public record RecentCursor(long lastWriteMillis, int skip) {

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((lastWriteMillis + ":" + skip)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a client sent back; empty when it is not one this gateway made. */
    public static Optional<RecentCursor> decode(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split(":");
            if (parts.length != 2) {
                return Optional.empty();
            }
            RecentCursor cursor = new RecentCursor(Long.parseLong(parts[0]), Integer.parseInt(parts[1]));
            return cursor.skip() < 0 ? Optional.empty() : Optional.of(cursor);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The cursor after a page whose entries had these last-write times (newest first), given the cursor it started
     * from.
     */
    static RecentCursor after(List<Long> pageTimes, Optional<RecentCursor> from) {
        long last = pageTimes.getLast();
        int same = (int) pageTimes.stream().filter(time -> time == last).count();
        if (from.isPresent() && from.get().lastWriteMillis() == last) {
            same += from.get().skip();
        }
        return new RecentCursor(last, same);
    }
}
