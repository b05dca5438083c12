package ai.higress.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import ai.higress.auth.PasswordHasher;
import ai.higress.config.AdminConfig;
import ai.higress.error.ErrorType;
import ai.higress.error.GatewayException;
import ai.higress.storage.AdminRole;
import ai.higress.storage.AdminSession;
import ai.higress.storage.AdminUserRepository;
import ai.higress.storage.AdminUserRow;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * Authenticates admin API calls: the break-glass token from the environment (admin role), or a session token from
 * {@code POST /admin/api/login}. Tokens are compared in constant time; sessions are stored as SHA-256 digests only.
 */
final class AdminAuthenticator {
    private static final String SESSION_PREFIX = "hig-admin-";

    private final AdminConfig config;
    private final AdminUserRepository users;
    private final PasswordHasher passwords;
    private final Duration sessionTtl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private volatile String decoyHash;

    AdminAuthenticator(AdminConfig config, AdminUserRepository users, PasswordHasher passwords, Duration sessionTtl,
                       Clock clock) {
        this.config = config;
        this.users = users;
        this.passwords = passwords;
        this.sessionTtl = sessionTtl;
        this.clock = clock;
    }

    /** The caller of an admin request; 401 without valid credentials. */
    AdminPrincipal authenticate(ServerRequest request) {
        String presented = bearer(request).orElseThrow(() -> GatewayException.invalidApiKey(
                "The admin API needs 'Authorization: Bearer <session or admin token>'."));
        if (presented.startsWith(SESSION_PREFIX)) {
            AdminSession session = users.findValidSession(digest(presented)).orElseThrow(
                    () -> GatewayException.invalidApiKey("The admin session is unknown or expired; log in again."));
            return new AdminPrincipal(session.username(), session.role() == AdminRole.ADMIN);
        }
        if (config.token().isPresent() && config.token().get().matches(presented)) {
            return new AdminPrincipal(AdminPrincipal.BREAK_GLASS, true);
        }
        throw GatewayException.invalidApiKey("Incorrect admin token provided.");
    }

    /** Checks a password and opens a session; the same 401 for an unknown user and a wrong password. */
    LoginResult login(String username, char[] password) {
        Optional<AdminUserRow> user = users.get(username);
        boolean valid;
        if (user.isPresent() && !user.get().disabled()) {
            valid = passwords.verify(password, user.get().passwordHash());
        } else {
            // the same PBKDF2 work as for a real user, so the answer's timing does not tell which usernames exist
            passwords.verify(password, decoyHash());
            valid = false;
        }
        if (!valid) {
            throw new GatewayException(401, ErrorType.AUTHENTICATION, "Incorrect username or password.",
                    Optional.empty(), Optional.of("invalid_credentials"));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = SESSION_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expires = clock.instant().plus(sessionTtl);
        users.createSession(digest(token), username, expires);
        users.purgeExpiredSessions();
        return new LoginResult(token, expires, user.get().role());
    }

    private String decoyHash() {
        String hash = decoyHash;
        if (hash == null) {
            hash = passwords.hash("decoy-password-never-valid".toCharArray());
            decoyHash = hash;
        }
        return hash;
    }

    void logout(ServerRequest request) {
        bearer(request).filter(token -> token.startsWith(SESSION_PREFIX))
                .ifPresent(token -> users.deleteSession(digest(token)));
    }

    /** The token of an {@code Authorization: Bearer <token>} header (the scheme in any case). */
    private static Optional<String> bearer(ServerRequest request) {
        return request.headers().first(HeaderNames.AUTHORIZATION)
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).strip());
    }

    static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** A new session. */
    record LoginResult(String token, Instant expiresAt, AdminRole role) {
    }
}
