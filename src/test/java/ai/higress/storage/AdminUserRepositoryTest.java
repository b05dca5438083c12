package ai.higress.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import ai.higress.testing.OnBothDatabases;
import ai.higress.testing.TestDatabase;

class AdminUserRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final String HASH = "pbkdf2-sha256$600000$c2FsdA==$aGFzaA==";

    private final MutableClock clock = new MutableClock(T0);

    @OnBothDatabases
    void usersRoundTripAndChange(TestDatabase db) {
        AdminUserRepository users = new AdminUserRepository(db.client(), clock);
        assertEquals(0, users.count());

        AdminUserRow alice = users.insert("alice", HASH, AdminRole.ADMIN);
        users.insert("bob", HASH, AdminRole.VIEWER);

        assertEquals(new AdminUserRow("alice", HASH, AdminRole.ADMIN, false, T0), alice);
        assertEquals(Optional.of(alice), users.get("alice"));
        assertEquals(List.of("alice", "bob"), users.list().stream().map(AdminUserRow::username).toList());
        assertEquals(2, users.count());
        assertThrows(DuplicateKeyException.class, () -> users.insert("alice", HASH, AdminRole.VIEWER));

        assertTrue(users.updateRole("bob", AdminRole.ADMIN));
        assertTrue(users.setDisabled("bob", true));
        assertTrue(users.updatePasswordHash("bob", "pbkdf2-sha256$1$bmV3$bmV3"));
        assertEquals(new AdminUserRow("bob", "pbkdf2-sha256$1$bmV3$bmV3", AdminRole.ADMIN, true, T0),
                users.get("bob").orElseThrow());
        assertFalse(users.updateRole("carol", AdminRole.ADMIN));
        assertFalse(users.setDisabled("carol", true));
        assertFalse(users.updatePasswordHash("carol", HASH));
        assertFalse(alice.toString().contains(HASH), "the password hash is not printed");
    }

    @OnBothDatabases
    void sessionIsValidUntilItExpires(TestDatabase db) {
        AdminUserRepository users = new AdminUserRepository(db.client(), clock);
        users.insert("alice", HASH, AdminRole.VIEWER);
        Instant expiry = T0.plus(Duration.ofHours(8));

        AdminSession session = users.createSession("token-hash-1", "alice", expiry);

        assertEquals(new AdminSession("token-hash-1", "alice", AdminRole.VIEWER, T0, expiry), session);
        assertEquals(Optional.of(session), users.findValidSession("token-hash-1"));
        assertEquals(Optional.empty(), users.findValidSession("other"));
        clock.advance(Duration.ofHours(8));
        assertEquals(Optional.empty(), users.findValidSession("token-hash-1"), "expired at expires_at");
    }

    @OnBothDatabases
    void sessionFollowsItsUser(TestDatabase db) {
        AdminUserRepository users = new AdminUserRepository(db.client(), clock);
        users.insert("alice", HASH, AdminRole.VIEWER);
        users.createSession("s1", "alice", T0.plus(Duration.ofHours(1)));

        users.updateRole("alice", AdminRole.ADMIN);
        assertEquals(AdminRole.ADMIN, users.findValidSession("s1").orElseThrow().role(), "the current role");
        users.setDisabled("alice", true);
        assertEquals(Optional.empty(), users.findValidSession("s1"), "a disabled user has no valid session");
        users.setDisabled("alice", false);
        assertTrue(users.findValidSession("s1").isPresent());

        assertThrows(MissingReferenceException.class, () -> users.createSession("s2", "nobody", T0.plusSeconds(60)));
        assertTrue(users.delete("alice"));
        assertFalse(users.delete("alice"));
        assertEquals(Optional.empty(), users.findValidSession("s1"));
        assertEquals(0, users.purgeExpiredSessions() + users.deleteSessions("alice"), "the sessions went with her");
    }

    @OnBothDatabases
    void deletesAndPurgesSessions(TestDatabase db) {
        AdminUserRepository users = new AdminUserRepository(db.client(), clock);
        users.insert("alice", HASH, AdminRole.ADMIN);
        users.insert("bob", HASH, AdminRole.ADMIN);
        users.createSession("short-1", "alice", T0.plus(Duration.ofMinutes(5)));
        users.createSession("short-2", "bob", T0.plus(Duration.ofMinutes(10)));
        users.createSession("long-1", "alice", T0.plus(Duration.ofDays(1)));
        users.createSession("long-2", "alice", T0.plus(Duration.ofDays(2)));
        users.createSession("long-3", "bob", T0.plus(Duration.ofDays(3)));

        clock.advance(Duration.ofMinutes(10));
        assertEquals(2, users.purgeExpiredSessions());
        assertEquals(0, users.purgeExpiredSessions());

        assertTrue(users.deleteSession("long-3"));
        assertFalse(users.deleteSession("long-3"));
        assertEquals(2, users.deleteSessions("alice"));
        assertEquals(Optional.empty(), users.findValidSession("long-1"));
    }
}
