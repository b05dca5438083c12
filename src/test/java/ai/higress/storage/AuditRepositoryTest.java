package ai.higress.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import ai.higress.schema.Json;
import ai.higress.testing.OnBothDatabases;
import ai.higress.testing.TestDatabase;

class AuditRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);

    @OnBothDatabases
    void appendsWithIncreasingIdsAndReadsBack(TestDatabase db) {
        AuditRepository audit = new AuditRepository(db.client(), clock);

        AuditEntry first = audit.append("alice", "create", "provider", "openai",
                Json.object().put("base_url", "https://api.openai.com/v1"));
        AuditEntry second = audit.append("break-glass", "login", "session", "-", Json.object());

        assertTrue(second.id() > first.id());
        assertEquals(T0, first.createdAt());
        assertEquals(List.of(second, first), audit.list(AuditFilter.ALL, PageRequest.FIRST_100).items(),
                "newest first; the same instant is ordered by id");
    }

    @OnBothDatabases
    void filtersAndPages(TestDatabase db) {
        AuditRepository audit = new AuditRepository(db.client(), clock);
        for (int i = 0; i < 12; i++) {
            audit.append(i % 3 == 0 ? "bob" : "alice", "update", i % 2 == 0 ? "api_key" : "provider", "r" + i,
                    Json.object().put("n", i));
            clock.advance(Duration.ofMinutes(1));
        }

        assertEquals(List.of("r9", "r6", "r3", "r0"), resources(audit, AuditFilter.ALL.withActor("bob")));
        assertEquals(List.of("r10", "r8", "r4", "r2"),
                resources(audit, AuditFilter.ALL.withActor("alice").withResourceType("api_key")));
        assertEquals(List.of("r4", "r3", "r2"),
                resources(audit, AuditFilter.ALL.between(T0.plus(Duration.ofMinutes(2)), T0.plus(Duration.ofMinutes(5)))));

        Page<AuditEntry> page = audit.list(AuditFilter.ALL.withResourceType("provider"), new PageRequest(4, 4));
        assertEquals(6, page.total());
        assertEquals(List.of("r3", "r1"), page.items().stream().map(AuditEntry::resourceId).toList());
        assertEquals(3, page.items().getFirst().details().get("n").asInt());
    }

    private static List<String> resources(AuditRepository audit, AuditFilter filter) {
        return audit.list(filter, PageRequest.FIRST_100).items().stream().map(AuditEntry::resourceId).toList();
    }
}
