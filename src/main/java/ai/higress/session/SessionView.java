package ai.higress.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A session as its owner sees it.
 *
 * @param sticky   the target it currently sticks to
 * @param snippets stored snippets (JSON objects), oldest first
 * @param ttl      time left until it expires (just refreshed by the read)
 */
public record SessionView(Optional<StickyTarget> sticky, List<String> snippets, Duration ttl) {
    public SessionView {
        snippets = List.copyOf(snippets);
    }
}
