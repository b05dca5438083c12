package ai.higress.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

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
 */
public record ManagedKey(String id, String name, String secretHash, Set<String> allowedModels,
                         Optional<Instant> expiresAt, boolean disabled, String disabledReason, KeyLimits limits) {

    public ManagedKey {
        allowedModels = Set.copyOf(allowedModels);
    }
}
