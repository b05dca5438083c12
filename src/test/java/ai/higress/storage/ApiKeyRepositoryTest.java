package ai.higress.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import ai.higress.config.SessionText;
import ai.higress.testing.OnBothDatabases;
import ai.higress.testing.TestDatabase;

class ApiKeyRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:15:30.123456789Z");

    private final MutableClock clock = new MutableClock(T0);

    private ApiKeyRepository repository(TestDatabase db) {
        return new ApiKeyRepository(db.client(), clock);
    }

    private static String hash(int n) {
        return "%064x".formatted(n);
    }

    @OnBothDatabases
    void roundTripsEveryColumn(TestDatabase db) {
        ApiKeyRepository keys = repository(db);
        ApiKeySettings settings = ApiKeySettings.named("ci pipeline").withOwner("platform")
                .withAllowedModels(List.of("gpt-4o", "claude-sonnet"))
                .withExpiry(Optional.of(Instant.parse("2027-01-01T00:00:00.000001Z")))
                .withLimits(Optional.of(60), Optional.of(100_000), Optional.of(new BigDecimal("25.5")))
                .withSessionText(SessionText.OMIT);

        ApiKeyRow inserted = keys.insert("key-1", hash(1), "sk-hig-AbCd…", settings);

        Instant stored = Instant.parse("2026-11-20T10:15:30.123456Z");
        assertEquals(new ApiKeyRow("key-1", hash(1), "sk-hig-AbCd…", settings, stored, stored), inserted,
                "timestamps at microsecond precision");
        assertEquals(Optional.of(inserted), keys.get("key-1"));
        assertEquals(Optional.of(inserted), keys.findBySecretHash(hash(1)));
        assertEquals(new BigDecimal("25.50000000"), keys.get("key-1").orElseThrow().settings().budgetUsd().orElseThrow());
        assertEquals(Optional.empty(), keys.findBySecretHash(hash(2)));
        assertEquals(Optional.empty(), keys.get("key-2"));
    }

    @OnBothDatabases
    void absentOptionalsStayAbsent(TestDatabase db) {
        ApiKeyRow inserted = repository(db).insert("key-1", hash(1), "sk-hig-1", ApiKeySettings.named("plain"));
        ApiKeySettings read = repository(db).get("key-1").orElseThrow().settings();
        assertEquals(inserted.settings(), read);
        assertEquals(Optional.empty(), read.expiresAt());
        assertEquals(Optional.empty(), read.rpmLimit());
        assertEquals(Optional.empty(), read.budgetUsd());
        assertEquals(List.of(), read.allowedModels());
        assertEquals(SessionText.DEFAULT, read.sessionText(), "keys follow the global store-text unless set");
    }

    @OnBothDatabases
    void secretHashAndIdAreUnique(TestDatabase db) {
        ApiKeyRepository keys = repository(db);
        keys.insert("key-1", hash(1), "sk-hig-1", ApiKeySettings.named("first"));

        assertThrows(DuplicateKeyException.class,
                () -> keys.insert("key-2", hash(1), "sk-hig-2", ApiKeySettings.named("same secret")));
        assertThrows(DuplicateKeyException.class,
                () -> keys.insert("key-1", hash(3), "sk-hig-3", ApiKeySettings.named("same id")));
        assertEquals(1, keys.list(ApiKeyFilter.ALL, PageRequest.FIRST_100).total());
    }

    @OnBothDatabases
    void pagesNewestFirstWithTheTotal(TestDatabase db) {
        ApiKeyRepository keys = repository(db);
        for (int i = 1; i <= 25; i++) {
            keys.insert("key-%02d".formatted(i), hash(i), "sk-hig-" + i, ApiKeySettings.named("key " + i));
            clock.advance(Duration.ofSeconds(1));
        }

        Page<ApiKeyRow> first = keys.list(ApiKeyFilter.ALL, new PageRequest(10, 0));
        Page<ApiKeyRow> last = keys.list(ApiKeyFilter.ALL, new PageRequest(10, 20));
        Page<ApiKeyRow> beyond = keys.list(ApiKeyFilter.ALL, new PageRequest(10, 30));

        assertEquals(25, first.total());
        assertEquals(List.of("key-25", "key-24", "key-23", "key-22", "key-21", "key-20", "key-19", "key-18", "key-17",
                "key-16"), first.items().stream().map(ApiKeyRow::id).toList());
        assertEquals(List.of("key-05", "key-04", "key-03", "key-02", "key-01"),
                last.items().stream().map(ApiKeyRow::id).toList());
        assertEquals(25, last.total());
        assertEquals(new Page<>(List.of(), 25, 10, 30), beyond);
    }

    @OnBothDatabases
    void filtersByNameSubstringOwnerAndDisabled(TestDatabase db) {
        ApiKeyRepository keys = repository(db);
        keys.insert("a", hash(1), "p", ApiKeySettings.named("Billing Service").withOwner("finance"));
        keys.insert("b", hash(2), "p", ApiKeySettings.named("billing-batch").withOwner("finance")
                .withDisabled(true, "leaked"));
        keys.insert("c", hash(3), "p", ApiKeySettings.named("search").withOwner("web"));
        keys.insert("d", hash(4), "p", ApiKeySettings.named("100%_literal").withOwner("web"));

        assertEquals(List.of("b", "a"), ids(keys, ApiKeyFilter.ALL.withNameContaining("BILLING")));
        assertEquals(List.of("b"), ids(keys, ApiKeyFilter.ALL.withNameContaining("billing").withDisabled(true)));
        assertEquals(List.of("a"), ids(keys, ApiKeyFilter.ALL.withOwner("finance").withDisabled(false)));
        assertEquals(List.of("d", "c"), ids(keys, ApiKeyFilter.ALL.withOwner("web")));
        assertEquals(List.of("d"), ids(keys, ApiKeyFilter.ALL.withNameContaining("%_")), "LIKE wildcards are literal");
        assertEquals(List.of(), ids(keys, ApiKeyFilter.ALL.withNameContaining("_x")));
        assertEquals(3, keys.list(ApiKeyFilter.ALL.withDisabled(false), new PageRequest(1, 0)).total());
    }

    @OnBothDatabases
    void updatesSettingsAndTheUpdateTime(TestDatabase db) {
        ApiKeyRepository keys = repository(db);
        ApiKeyRow original = keys.insert("key-1", hash(1), "sk-hig-1", ApiKeySettings.named("before"));
        clock.advance(Duration.ofMinutes(5));
        ApiKeySettings changed = original.settings().withOwner("ops").withDisabled(true, "over budget")
                .withLimits(Optional.of(10), Optional.empty(), Optional.of(new BigDecimal("0.00000001")))
                .withSessionText(SessionText.STORE);

        ApiKeyRow updated = keys.update("key-1", changed).orElseThrow();

        assertEquals(changed, updated.settings());
        assertEquals(original.createdAt(), updated.createdAt());
        assertEquals(original.createdAt().plus(Duration.ofMinutes(5)), updated.updatedAt());
        assertEquals(Optional.of(updated), keys.findBySecretHash(hash(1)));
        assertEquals(Optional.empty(), keys.update("missing", changed));
    }

    @OnBothDatabases
    void deletes(TestDatabase db) {
        ApiKeyRepository keys = repository(db);
        keys.insert("key-1", hash(1), "sk-hig-1", ApiKeySettings.named("gone"));
        assertTrue(keys.delete("key-1"));
        assertFalse(keys.delete("key-1"));
        assertEquals(Optional.empty(), keys.findBySecretHash(hash(1)));
    }

    private static List<String> ids(ApiKeyRepository keys, ApiKeyFilter filter) {
        return keys.list(filter, PageRequest.FIRST_100).items().stream().map(ApiKeyRow::id).toList();
    }
}
