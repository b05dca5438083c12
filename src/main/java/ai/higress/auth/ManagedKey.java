package ai.higress.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import ai.higress.config.SessionText;

/**
 * A client key managed through the admin API, as the authenticator needs it.
 *
 * @param id             public id ({@code key_…})
 * @param name           its name
 * @param secretHash     hex HMAC-SHA256 of the key under the server secret
 * @param allowedModels  models it may use; empty means every model
 * @param expiresAt      when it stops working, if ever
 * @param disabled       whether an operator disabled it
 * @param disabledReason why, shown to its user
 * @param limits         rate limits and budget
 * @param sessionText    whether its session snippets keep message text
 */
public record ManagedKey(String id, String name, String secretHash, Set<String> allowedModels,
                         Optional<Instant> expiresAt, boolean disabled, String disabledReason, KeyLimits limits,
                         SessionText sessionText) {

    public ManagedKey {
        allowedModels = Set.copyOf(allowedModels);
    }

    /** A key following the global session-text setting. */
    public ManagedKey(String id, String name, String secretHash, Set<String> allowedModels,
                      Optional<Instant> expiresAt, boolean disabled, String disabledReason, KeyLimits limits) {
        this(id, name, secretHash, allowedModels, expiresAt, disabled, disabledReason, limits, SessionText.DEFAULT);
    }
}
