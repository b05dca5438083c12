package ai.higress.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import ai.higress.schema.Json;
import ai.higress.testing.OnBothDatabases;
import ai.higress.testing.TestDatabase;

import com.fasterxml.jackson.databind.JsonNode;

class LogicalModelRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final JsonNode HEDGE = Json.object().put("enabled", true).put("after", "PT2S")
            .put("max-ratio", 0.1);
    private static final List<ModelTarget> TARGETS = List.of(new ModelTarget("openai", "gpt-4o", 3, 0),
            new ModelTarget("azure", "gpt-4o-deployment", 1, 0), new ModelTarget("deepseek", "deepseek-chat", 1, 1));

    private final MutableClock clock = new MutableClock(T0);

    private static LogicalModelRepository repository(TestDatabase db, MutableClock clock) {
        ProviderRepository providers = new ProviderRepository(db.client(), clock);
        for (String id : List.of("openai", "azure", "deepseek")) {
            providers.upsert(ProviderRepositoryTest.provider(id, Source.CONFIG));
        }
        return new LogicalModelRepository(db.client(), clock);
    }

    @OnBothDatabases
    void roundTripsWithOrderedTargets(TestDatabase db) {
        LogicalModelRepository models = repository(db, clock);
        LogicalModel chat = new LogicalModel("chat", "latency", List.of("chat-cheap", "chat-local"), HEDGE,
                Source.DATABASE, TARGETS);

        LogicalModelRow stored = models.upsert(chat);

        assertEquals(new LogicalModelRow(chat, T0, T0), stored);
        assertEquals(Optional.of(stored), models.get("chat"));
        assertEquals(Optional.empty(), models.get("missing"));
    }

    @OnBothDatabases
    void upsertReplacesTheModelAndAllItsTargets(TestDatabase db) {
        LogicalModelRepository models = repository(db, clock);
        models.upsert(new LogicalModel("chat", "weighted", List.of(), Json.object(), Source.CONFIG, TARGETS));
        clock.advance(Duration.ofMinutes(1));
        LogicalModel smaller = new LogicalModel("chat", "priority", List.of("other"), HEDGE, Source.DATABASE,
                List.of(new ModelTarget("deepseek", "deepseek-chat", 2, 0)));

        assertEquals(new LogicalModelRow(smaller, T0, T0.plus(Duration.ofMinutes(1))), models.upsert(smaller));
        assertEquals(smaller, models.get("chat").orElseThrow().model());
    }

    @OnBothDatabases
    void replaceTargetsIsAtomic(TestDatabase db) {
        LogicalModelRepository models = repository(db, clock);
        models.upsert(new LogicalModel("chat", "weighted", List.of(), Json.object(), Source.DATABASE, TARGETS));
        List<ModelTarget> withUnknownProvider = List.of(new ModelTarget("deepseek", "deepseek-reasoner", 1, 0),
                new ModelTarget("nobody", "ghost", 1, 0));

        assertThrows(MissingReferenceException.class, () -> models.replaceTargets("chat", withUnknownProvider));
        assertEquals(TARGETS, models.get("chat").orElseThrow().model().targets(),
                "the old targets survive a failed replacement, none deleted, none half-inserted");

        clock.advance(Duration.ofSeconds(30));
        List<ModelTarget> reversed = TARGETS.reversed();
        assertTrue(models.replaceTargets("chat", reversed));
        LogicalModelRow row = models.get("chat").orElseThrow();
        assertEquals(reversed, row.model().targets());
        assertEquals(T0.plusSeconds(30), row.updatedAt());

        assertTrue(models.replaceTargets("chat", List.of()));
        assertEquals(List.of(), models.get("chat").orElseThrow().model().targets());
        assertFalse(models.replaceTargets("missing", TARGETS));
    }

    @OnBothDatabases
    void listsModelsByNameWithTheirTargets(TestDatabase db) {
        LogicalModelRepository models = repository(db, clock);
        LogicalModel b = new LogicalModel("b-model", "weighted", List.of(), Json.object(), Source.CONFIG,
                TARGETS.subList(0, 1));
        LogicalModel a = new LogicalModel("a-model", "weighted", List.of("b-model"), Json.object(), Source.CONFIG,
                TARGETS);
        LogicalModel empty = new LogicalModel("c-model", "weighted", List.of(), Json.object(), Source.CONFIG,
                List.of());
        models.upsert(b);
        models.upsert(a);
        models.upsert(empty);

        assertEquals(List.of(a, b, empty), models.list().stream().map(LogicalModelRow::model).toList());
    }

    @OnBothDatabases
    void deleteRemovesTheTargetsToo(TestDatabase db) {
        LogicalModelRepository models = repository(db, clock);
        models.upsert(new LogicalModel("chat", "weighted", List.of(), Json.object(), Source.DATABASE, TARGETS));

        assertTrue(models.delete("chat"));
        assertFalse(models.delete("chat"));
        long targets = db.client().execute().get("SELECT COUNT(*) AS n FROM model_targets")
                .map(row -> row.column("n").get(Long.class)).orElseThrow();
        assertEquals(0, targets);
    }
}
