package ai.higress.storage;

import java.time.Instant;

/**
 * A valid admin console session with the role of its user.
 *
 * @param tokenHash hex SHA-256 of the session token
 * @param username  the user it belongs to
 * @param role      the user's current role
 * @param createdAt when it was created
 * @param expiresAt when it stops being valid
 */
public record AdminSession(String tokenHash, String username, AdminRole role, Instant createdAt, Instant expiresAt) {
}
