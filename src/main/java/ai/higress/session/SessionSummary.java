package ai.higress.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One session as the admin listing shows it: who owns it and how far along it is, never its text.
 *
 * @param owner     the owning key's id
 * @param ownerName the owning key's name when the session was last written
 * @param id        the session id ({@code X-Session-Id})
 * @param turns     snippets it holds
 * @param sticky    the target it sticks to
 * @param lastWrite when its newest snippet was written
 * @param ttl       time left until it expires
 */
public record SessionSummary(String owner, String ownerName, String id, int turns, Optional<StickyTarget> sticky,
                             Instant lastWrite, Duration ttl) {
}
