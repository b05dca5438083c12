package ai.higress.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.higress.schema.Json;
import ai.higress.testing.OnBothDatabases;
import ai.higress.testing.TestDatabase;

class ProviderRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);

    static Provider provider(String id, Source source) {
        return new Provider(id, "openai", "deepseek", "https://api.deepseek.com/v1", "bearer", "standard", "",
                Map.of("HTTP-Referer", "https://higress.ai"), Json.object().put("tools", true).put("vision", false),
                64, true, Json.object().put("connect", "PT5S"), 4096, Status.ACTIVE, source);
    }

    static ProviderModel model(String providerId, String model, String inputPrice) {
        return new ProviderModel(providerId, model, true, false, true, true, false, false, Optional.of(128_000),
                new BigDecimal(inputPrice), new BigDecimal("1.1"), new BigDecimal("0.07"));
    }

    @OnBothDatabases
    void upsertInsertsThenReplacesKeepingTheCreationTime(TestDatabase db) {
        ProviderRepository providers = new ProviderRepository(db.client(), clock);
        Provider original = provider("deepseek", Source.CONFIG);

        ProviderRow inserted = providers.upsert(original);
        assertEquals(new ProviderRow(original, T0, T0), inserted);
        assertEquals(Optional.of(inserted), providers.get("deepseek"));

        clock.advance(Duration.ofHours(1));
        Provider changed = new Provider("deepseek", "openai", "custom", "http://10.0.0.5:8000/v1", "none",
                "standard", "", Map.of(), Json.object(), 8, false, Json.object(), 1024, Status.DISABLED,
                Source.DATABASE);
        ProviderRow replaced = providers.upsert(changed);

        assertEquals(new ProviderRow(changed, T0, T0.plus(Duration.ofHours(1))), replaced);
        assertEquals(List.of(replaced), providers.list());
        assertEquals(Optional.empty(), providers.get("missing"));
    }

    @OnBothDatabases
    void listsById(TestDatabase db) {
        ProviderRepository providers = new ProviderRepository(db.client(), clock);
        providers.upsert(provider("openai", Source.CONFIG));
        providers.upsert(provider("anthropic", Source.DATABASE));
        providers.upsert(provider("groq", Source.DATABASE));
        assertEquals(List.of("anthropic", "groq", "openai"),
                providers.list().stream().map(row -> row.provider().id()).toList());
    }

    @OnBothDatabases
    void storesKeysAsGiven(TestDatabase db) {
        ProviderRepository providers = new ProviderRepository(db.client(), clock);
        providers.upsert(provider("openai", Source.DATABASE));
        UpstreamKey first = new UpstreamKey("pk-1", "openai", "bm9uY2V8Y2lwaGVy", "sk-a…wxyz", 3, Status.ACTIVE);
        UpstreamKey second = new UpstreamKey("pk-2", "openai", "b3RoZXI=", "sk-b…1234", 1, Status.DISABLED);

        assertEquals(new UpstreamKeyRow(first, T0), providers.addKey(first));
        clock.advance(Duration.ofSeconds(1));
        providers.addKey(second);

        assertEquals(List.of(new UpstreamKeyRow(first, T0), new UpstreamKeyRow(second, T0.plusSeconds(1))),
                providers.keys("openai"), "oldest first");
        UpstreamKey rotated = new UpstreamKey("pk-1", "openai", "cm90YXRlZA==", "sk-c…9999", 5, Status.DISABLED);
        assertTrue(providers.updateKey(rotated));
        assertEquals(Optional.of(new UpstreamKeyRow(rotated, T0)), providers.getKey("pk-1"));
        assertFalse(providers.updateKey(new UpstreamKey("pk-1", "other", "x", "y", 1, Status.ACTIVE)),
                "a key is only changed through its own provider");
        assertTrue(providers.deleteKey("pk-2"));
        assertFalse(providers.deleteKey("pk-2"));
        assertEquals(1, providers.keys("openai").size());
    }

    @OnBothDatabases
    void keyOfAnUnknownProviderIsAMissingReference(TestDatabase db) {
        ProviderRepository providers = new ProviderRepository(db.client(), clock);
        assertThrows(MissingReferenceException.class, () -> providers.addKey(
                new UpstreamKey("pk-1", "nobody", "x", "y", 1, Status.ACTIVE)));
        providers.upsert(provider("openai", Source.DATABASE));
        providers.addKey(new UpstreamKey("pk-1", "openai", "x", "y", 1, Status.ACTIVE));
        assertThrows(DuplicateKeyException.class, () -> providers.addKey(
                new UpstreamKey("pk-1", "openai", "x", "y", 1, Status.ACTIVE)));
    }

    @OnBothDatabases
    void catalogUpsertReplaceAndList(TestDatabase db) {
        ProviderRepository providers = new ProviderRepository(db.client(), clock);
        providers.upsert(provider("openai", Source.DATABASE));
        providers.upsert(provider("deepseek", Source.DATABASE));
        ProviderModel unknownWindow = new ProviderModel("openai", "o3", false, true, false, false, true, true,
                Optional.empty(), new BigDecimal("2"), new BigDecimal("8"), new BigDecimal("0.5"));

        providers.upsertModel(model("openai", "gpt-4o", "2.5"));
        providers.upsertModel(unknownWindow);
        providers.upsertModel(model("openai", "gpt-4o", "2.25"));
        providers.upsertModel(model("deepseek", "deepseek-chat", "0.27"));

        assertEquals(List.of(model("openai", "gpt-4o", "2.25"), unknownWindow), providers.models("openai"));
        assertEquals(new BigDecimal("2.25000000"), providers.models("openai").getFirst().inputPricePerMtok());
        assertEquals(List.of("deepseek/deepseek-chat", "openai/gpt-4o", "openai/o3"),
                providers.allModels().stream().map(m -> m.providerId() + "/" + m.model()).toList());

        providers.replaceModels("openai", List.of(model("openai", "gpt-4.1", "2")));
        assertEquals(List.of(model("openai", "gpt-4.1", "2")), providers.models("openai"));
        assertTrue(providers.deleteModel("openai", "gpt-4.1"));
        assertFalse(providers.deleteModel("openai", "gpt-4.1"));
        assertThrows(MissingReferenceException.class, () -> providers.upsertModel(model("nobody", "m", "1")));
        assertThrows(IllegalArgumentException.class,
                () -> providers.replaceModels("openai", List.of(model("deepseek", "m", "1"))));
    }

    @OnBothDatabases
    void deletingAProviderCascadesToKeysCatalogAndTargets(TestDatabase db) {
        ProviderRepository providers = new ProviderRepository(db.client(), clock);
        LogicalModelRepository models = new LogicalModelRepository(db.client(), clock);
        providers.upsert(provider("openai", Source.DATABASE));
        providers.upsert(provider("deepseek", Source.DATABASE));
        providers.addKey(new UpstreamKey("pk-1", "openai", "x", "y", 1, Status.ACTIVE));
        providers.upsertModel(model("openai", "gpt-4o", "2.5"));
        models.upsert(new LogicalModel("chat", "weighted", List.of(), Json.object(), Source.DATABASE, List.of(
                new ModelTarget("openai", "gpt-4o", 1, 0), new ModelTarget("deepseek", "deepseek-chat", 1, 1))));

        assertTrue(providers.delete("openai"));

        assertFalse(providers.delete("openai"));
        assertEquals(List.of(), providers.keys("openai"));
        assertEquals(Optional.empty(), providers.getKey("pk-1"));
        assertEquals(List.of(), providers.models("openai"));
        assertEquals(List.of(new ModelTarget("deepseek", "deepseek-chat", 1, 1)),
                models.get("chat").orElseThrow().model().targets());
    }
}
