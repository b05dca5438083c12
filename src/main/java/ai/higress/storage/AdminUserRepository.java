package ai.higress.storage;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/** Admin console users and their sessions. Deleting a user deletes their sessions. */
public final class AdminUserRepository {
    private static final String USER_COLUMNS = "username, password_hash, role, disabled, created_at";
    private static final String INSERT_USER = "INSERT INTO admin_users (" + USER_COLUMNS + ")"
            + " VALUES (?, ?, ?, FALSE, ?)";
    private static final String SELECT_USER = "SELECT " + USER_COLUMNS + " FROM admin_users WHERE username = ?";
    private static final String LIST_USERS = "SELECT " + USER_COLUMNS + " FROM admin_users ORDER BY username";
    private static final String COUNT_USERS = "SELECT COUNT(*) AS total FROM admin_users";
    private static final String SET_ROLE = "UPDATE admin_users SET role = ? WHERE username = ?";
    private static final String SET_DISABLED = "UPDATE admin_users SET disabled = ? WHERE username = ?";
    private static final String SET_PASSWORD = "UPDATE admin_users SET password_hash = ? WHERE username = ?";
    private static final String DELETE_USER = "DELETE FROM admin_users WHERE username = ?";

    private static final String INSERT_SESSION = "INSERT INTO admin_sessions (token_hash, username, created_at,"
            + " expires_at) VALUES (?, ?, ?, ?)";
    private static final String VALID_SESSION = "SELECT s.token_hash, s.username, u.role, s.created_at, s.expires_at"
            + " FROM admin_sessions s JOIN admin_users u ON u.username = s.username"
            + " WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = FALSE";
    private static final String DELETE_SESSION = "DELETE FROM admin_sessions WHERE token_hash = ?";
    private static final String DELETE_USER_SESSIONS = "DELETE FROM admin_sessions WHERE username = ?";
    private static final String PURGE_SESSIONS = "DELETE FROM admin_sessions WHERE expires_at <= ?";

    private final DbClient db;
    private final Clock clock;

    public AdminUserRepository(DbClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Creates an enabled user.
     *
     * @throws DuplicateKeyException when the username is taken
     */
    public AdminUserRow insert(String username, String passwordHash, AdminRole role) {
        Instant now = Sql.micros(clock.instant());
        Sql.run(() -> db.execute().insert(INSERT_USER, username, passwordHash, Sql.code(role), Sql.timestamp(now)));
        return new AdminUserRow(username, passwordHash, role, false, now);
    }

    public Optional<AdminUserRow> get(String username) {
        return db.execute().get(SELECT_USER, username).map(AdminUserRepository::user);
    }

    public List<AdminUserRow> list() {
        try (Stream<DbRow> rows = db.execute().query(LIST_USERS)) {
            return rows.map(AdminUserRepository::user).toList();
        }
    }

    /** How many users exist (zero before the first admin is bootstrapped). */
    public long count() {
        return db.execute().get(COUNT_USERS).map(row -> Rows.longValue(row, "total")).orElse(0L);
    }

    public boolean updateRole(String username, AdminRole role) {
        return db.execute().update(SET_ROLE, Sql.code(role), username) > 0;
    }

    /** Disables or enables the user; a disabled user's sessions stop being valid at once. */
    public boolean setDisabled(String username, boolean disabled) {
        return db.execute().update(SET_DISABLED, disabled, username) > 0;
    }

    public boolean updatePasswordHash(String username, String passwordHash) {
        return db.execute().update(SET_PASSWORD, passwordHash, username) > 0;
    }

    /** Deletes the user and their sessions. */
    public boolean delete(String username) {
        return db.execute().delete(DELETE_USER, username) > 0;
    }

    /**
     * Stores a session of an existing user.
     *
     * @throws MissingReferenceException when there is no such user
     */
    public AdminSession createSession(String tokenHash, String username, Instant expiresAt) {
        Instant now = Sql.micros(clock.instant());
        AdminUserRow user = get(username).orElseThrow(
                () -> new MissingReferenceException("No admin user '" + username + "'", null));
        Sql.run(() -> db.execute().insert(INSERT_SESSION, tokenHash, username, Sql.timestamp(now),
                Sql.timestamp(expiresAt)));
        return new AdminSession(tokenHash, username, user.role(), now, Sql.micros(expiresAt));
    }

    /** The session with this token hash if it has not expired and its user is enabled. */
    public Optional<AdminSession> findValidSession(String tokenHash) {
        return db.execute().get(VALID_SESSION, tokenHash, Sql.timestamp(clock.instant()))
                .map(row -> new AdminSession(Rows.string(row, "token_hash"), Rows.string(row, "username"),
                        Rows.enumValue(row, "role", AdminRole.class), Rows.instant(row, "created_at"),
                        Rows.instant(row, "expires_at")));
    }

    public boolean deleteSession(String tokenHash) {
        return db.execute().delete(DELETE_SESSION, tokenHash) > 0;
    }

    /** Ends every session of the user (after a password change, say); returns how many there were. */
    public long deleteSessions(String username) {
        return db.execute().delete(DELETE_USER_SESSIONS, username);
    }

    /** Deletes sessions that have expired; returns how many. */
    public long purgeExpiredSessions() {
        return db.execute().delete(PURGE_SESSIONS, Sql.timestamp(clock.instant()));
    }

    private static AdminUserRow user(DbRow row) {
        return new AdminUserRow(Rows.string(row, "username"), Rows.string(row, "password_hash"),
                Rows.enumValue(row, "role", AdminRole.class), Rows.bool(row, "disabled"),
                Rows.instant(row, "created_at"));
    }
}
