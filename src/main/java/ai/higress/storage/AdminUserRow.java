package ai.higress.storage;

import java.time.Instant;

/**
 * An admin console user.
 *
 * @param username     login name
 * @param passwordHash {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}; never the password
 * @param role         admin or viewer
 * @param disabled     whether logins and sessions are refused
 * @param createdAt    when the user was created
 */
public record AdminUserRow(String username, String passwordHash, AdminRole role, boolean disabled,
                           Instant createdAt) {
    @Override
    public String toString() {
        return "AdminUserRow[username=" + username + ", role=" + role + ", disabled=" + disabled + ", createdAt="
                + createdAt + "]";
    }
}
