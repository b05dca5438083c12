package ai.higress.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import ai.higress.config.SessionConfig;
import ai.higress.error.GatewayException;
import ai.higress.redis.RedisUnavailableException;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Sessions as the request path uses them: validates ids, builds bounded snippets, and never lets a store failure fail
 * a request (a failure is logged and metered; the request goes on without the session).
 */
public final class Sessions {
    public static final String HEADER = "X-Session-Id";
    private static final Logger LOG = Logger.getLogger(Sessions.class.getName());
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final SessionConfig config;
    private final SessionStore store;
    private final SessionListener listener;
    private final Supplier<Instant> clock;

    public Sessions(SessionConfig config, SessionStore store, SessionListener listener, Supplier<Instant> clock) {
        this.config = config;
        this.store = store;
        this.listener = listener;
        this.clock = clock;
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The validated id; a 400 naming the header when it is malformed. */
    public static String validate(String id) {
        if (!ID.matcher(id).matches()) {
            throw GatewayException.invalidRequest("The " + HEADER + " header must be 1-128 characters of "
                    + "A-Z, a-z, 0-9, '.', '_', ':' or '-'.", HEADER);
        }
        return id;
    }

    /** The target the session sticks to; empty when it has none or the store is unreachable. */
    public Optional<StickyTarget> sticky(String owner, String id) {
        try {
            return store.sticky(owner, id, config.ttl());
        } catch (RedisUnavailableException e) {
            failed("sticky", e);
            return Optional.empty();
        }
    }

    /**
     * Records a finished turn and the target that served it; a store failure is logged and metered only. Message text
     * is kept when the owner's setting says so (by default: {@code sessions.store-text}).
     */
    public void record(SessionOwner owner, String id, Turn turn) {
        ObjectNode snippet = Json.object();
        snippet.put("at", turn.startedAt().toString());
        snippet.put("ended_at", clock.get().toString());
        snippet.put("model", turn.model());
        snippet.put("provider", turn.served().provider());
        snippet.put("upstream_model", turn.served().model());
        snippet.put("stream", turn.stream());
        turn.previous().filter(previous -> !previous.equals(turn.served()))
                .ifPresent(previous -> snippet.put("moved_from", previous.label()));
        if (owner.text().stores(config.storeText())) {
            turn.user().ifPresent(text -> snippet.put("user", truncate(text)));
            turn.assistant().ifPresent(text -> snippet.put("assistant", truncate(text)));
        }
        turn.usage().ifPresent(usage -> {
            snippet.put("prompt_tokens", usage.promptTokens());
            snippet.put("completion_tokens", usage.completionTokens());
            snippet.put("total_tokens", usage.totalTokens());
        });
        try {
            store.append(owner.keyId(), owner.keyName(), id, Json.text(snippet), turn.served(), config.maxTurns(),
                    config.ttl());
            listener.written();
        } catch (RedisUnavailableException e) {
            failed("append", e);
        }
    }

    /** The owner's session; 404 for no session and for another key's session alike. */
    public SessionView read(String owner, String id) {
        try {
            return store.read(owner, validate(id), config.ttl()).orElseThrow(() -> notFound(id));
        } catch (RedisUnavailableException e) {
            failed("read", e);
            throw unavailable();
        }
    }

    /**
     * Sessions written within {@code sessions.ttl}, newest first, a page at a time; only {@code keyId}'s when given.
     *
     * @param cursor where the previous page ended ({@link RecentCursor#encode()}); a 400 when it is not one
     * @throws GatewayException 503 while the store is unreachable
     */
    public RecentPage recent(Optional<String> keyId, int limit, Optional<String> cursor) {
        Optional<RecentCursor> after = cursor.map(text -> RecentCursor.decode(text).orElseThrow(() ->
                GatewayException.invalidRequest("Invalid value for 'cursor': pass back the next_cursor of the previous "
                        + "page.", "cursor", "invalid_value")));
        try {
            return store.recent(keyId, limit, after, config.ttl());
        } catch (RedisUnavailableException e) {
            failed("recent", e);
            throw unavailable();
        }
    }

    /** Removes the owner's session; 404 when there is none. */
    public void delete(String owner, String id) {
        boolean removed;
        try {
            removed = store.delete(owner, validate(id));
        } catch (RedisUnavailableException e) {
            failed("delete", e);
            throw unavailable();
        }
        if (!removed) {
            throw notFound(id);
        }
    }

    private String truncate(String text) {
        if (text.length() <= config.maxChars()) {
            return text;
        }
        int end = config.maxChars();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    private void failed(String operation, RuntimeException e) {
        listener.storeError(operation);
        LOG.log(Level.WARNING, "session store " + operation + " failed; serving without the session: "
                + e.getMessage());
    }

    private static GatewayException notFound(String id) {
        return GatewayException.notFound("No session '" + id + "'.");
    }

    private static GatewayException unavailable() {
        return new GatewayException(503, ai.higress.error.ErrorType.SERVER, "The session store is unavailable.",
                Optional.empty(), Optional.of("session_store_unavailable"));
    }

    /**
     * One finished request of a session.
     *
     * @param model     the model as the client named it (alias)
     * @param served    the target that answered
     * @param previous  the sticky target before this request
     * @param user      the request's last user message text
     * @param assistant the answer text
     * @param usage     token counts, when reported
     * @param startedAt when the request arrived
     * @param stream    whether it was streamed
     */
    public record Turn(String model, StickyTarget served, Optional<StickyTarget> previous, Optional<String> user,
                      Optional<String> assistant, Optional<Usage> usage, Instant startedAt, boolean stream) {
    }

    /** Time left on a view, in whole seconds (at least 1 while it exists). */
    public static long seconds(Duration ttl) {
        return Math.max(1, ttl.toSeconds());
    }
}
