package ai.higress.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.observe.Outcome;
import ai.higress.schema.Json;
import ai.higress.testing.OnBothDatabases;
import ai.higress.testing.TestDatabase;

import com.fasterxml.jackson.databind.node.ArrayNode;

class RequestLogRepositoryTest {
    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");

    private static RequestLogEntry entry(String id, Instant at, String key, String model, String provider,
                                         Outcome outcome, long prompt, long completion, String cost) {
        int status = outcome == Outcome.SUCCESS ? 200 : 502;
        return new RequestLogEntry(id, at, key, "chat", model, provider, model + "-upstream", false, status, outcome,
                outcome == Outcome.SUCCESS ? "" : outcome.tag(), 120, Optional.empty(), prompt, completion, 0,
                new BigDecimal(cost), Json.MAPPER.createArrayNode());
    }

    /** Six requests around an hour boundary and two day boundaries. */
    private static List<RequestLogEntry> sample() {
        return List.of(
                entry("r6", DAY.minusSeconds(1), "k1", "chat", "openai", Outcome.SUCCESS, 1, 1, "0.00000001"),
                entry("r1", DAY.plus(Duration.ofMinutes(9 * 60 + 5)), "k1", "chat", "openai", Outcome.SUCCESS, 100,
                        50, "0.001"),
                entry("r2", Instant.parse("2026-11-20T09:59:59.999999Z"), "k1", "chat", "openai",
                        Outcome.RATE_LIMITED, 0, 0, "0"),
                entry("r3", Instant.parse("2026-11-20T10:00:00Z"), "k2", "chat", "deepseek", Outcome.SUCCESS, 200,
                        100, "0.0005"),
                entry("r4", Instant.parse("2026-11-20T10:30:00Z"), "k1", "embed", "openai", Outcome.UPSTREAM_ERROR,
                        10, 0, "0.00001"),
                entry("r5", Instant.parse("2026-11-21T00:00:00Z"), "k2", "chat", "deepseek", Outcome.SUCCESS, 1000,
                        500, "0.25"));
    }

    private static UsageBucket bucket(String start, long requests, long errors, long prompt, long completion,
                                      String cost) {
        return new UsageBucket(Instant.parse(start), requests, errors, prompt, completion, new BigDecimal(cost));
    }

    @OnBothDatabases
    void roundTripsEveryColumn(TestDatabase db) {
        RequestLogRepository log = new RequestLogRepository(db.client());
        ArrayNode attempts = Json.MAPPER.createArrayNode();
        attempts.addObject().put("provider", "openai").put("status", 429).put("ms", 80);
        attempts.addObject().put("provider", "deepseek").put("status", 200).put("ttft_ms", 310);
        RequestLogEntry full = new RequestLogEntry("req-1", Instant.parse("2026-11-20T10:00:00.123456789Z"), "key-1",
                "chat", "chat", "deepseek", "deepseek-chat", true, 200, Outcome.SUCCESS, "", 950, Optional.of(310),
                1200, 340, 1024, new BigDecimal("0.00123456"), attempts);

        assertEquals(1, log.insertAll(List.of(full)));

        List<RequestLogEntry> read = log.query(RequestLogFilter.ALL, PageRequest.FIRST_100).items();
        assertEquals(List.of(full), read);
        assertEquals(Instant.parse("2026-11-20T10:00:00.123456Z"), read.getFirst().createdAt());
    }

    @OnBothDatabases
    void insertsFiveHundredRowsInOneCallAndSkipsTheOnesAlreadyStored(TestDatabase db) {
        RequestLogRepository log = new RequestLogRepository(db.client());
        List<RequestLogEntry> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(entry("req-%04d".formatted(i), DAY.plusSeconds(i), "k" + (i % 5), "chat", "openai",
                    i % 10 == 0 ? Outcome.UPSTREAM_TIMEOUT : Outcome.SUCCESS, 10, 5, "0.0001"));
        }

        assertEquals(500, log.insertAll(batch));
        assertEquals(0, log.insertAll(batch.subList(0, 100)), "a retried batch is harmless");
        assertEquals(500, log.query(RequestLogFilter.ALL, new PageRequest(1, 0)).total());
        assertEquals(50, log.query(RequestLogFilter.ALL.withOutcome(Outcome.UPSTREAM_TIMEOUT), new PageRequest(1, 0))
                .total());
        assertEquals(new BigDecimal("0.01000000"), log.spentUsd("k0"));
        assertEquals(0, log.insertAll(List.of()));
    }

    @OnBothDatabases
    void batchesLargerThanOneStatementAndDuplicatesWithinABatch(TestDatabase db) {
        RequestLogRepository log = new RequestLogRepository(db.client());
        List<RequestLogEntry> batch = new ArrayList<>();
        for (int i = 0; i < RequestLogRepository.ROWS_PER_STATEMENT + 200; i++) {
            batch.add(entry("req-" + i, DAY.plusMillis(i), "k", "chat", "openai", Outcome.SUCCESS, 1, 1, "0"));
        }
        batch.add(entry("req-7", DAY, "k", "chat", "openai", Outcome.SUCCESS, 1, 1, "0"));

        assertEquals(RequestLogRepository.ROWS_PER_STATEMENT + 200, log.insertAll(batch));
        assertEquals(RequestLogRepository.ROWS_PER_STATEMENT + 200,
                log.query(RequestLogFilter.ALL, new PageRequest(1, 0)).total());
    }

    @OnBothDatabases
    void queriesWithFiltersNewestFirst(TestDatabase db) {
        RequestLogRepository log = new RequestLogRepository(db.client());
        log.insertAll(sample());

        assertEquals(List.of("r5", "r4", "r3", "r2", "r1", "r6"), ids(log, RequestLogFilter.ALL));
        assertEquals(List.of("r4", "r2", "r1", "r6"), ids(log, RequestLogFilter.ALL.withApiKey("k1")));
        assertEquals(List.of("r4"), ids(log, RequestLogFilter.ALL.withLogicalModel("embed")));
        assertEquals(List.of("r5", "r3"), ids(log, RequestLogFilter.ALL.withProvider("deepseek")));
        assertEquals(List.of("r5", "r3", "r1", "r6"), ids(log, RequestLogFilter.ALL.withOutcome(Outcome.SUCCESS)));
        assertEquals(List.of("r2", "r1"), ids(log, RequestLogFilter.ALL.between(Instant.parse("2026-11-20T09:00:00Z"),
                Instant.parse("2026-11-20T10:00:00Z"))), "from inclusive, to exclusive");
        assertEquals(List.of("r1"), ids(log, RequestLogFilter.ALL.withApiKey("k1").withOutcome(Outcome.SUCCESS)
                .between(DAY, DAY.plus(Duration.ofDays(1)))));

        Page<RequestLogEntry> page = log.query(RequestLogFilter.ALL, new PageRequest(2, 2));
        assertEquals(6, page.total());
        assertEquals(List.of("r3", "r2"), page.items().stream().map(RequestLogEntry::requestId).toList());
        assertEquals(2, log.query(RequestLogFilter.ALL.withProvider("deepseek"), new PageRequest(1, 1)).total());
    }

    @OnBothDatabases
    void aggregatesPerUtcHour(TestDatabase db) {
        RequestLogRepository log = new RequestLogRepository(db.client());
        log.insertAll(sample());

        assertEquals(List.of(
                bucket("2026-11-19T23:00:00Z", 1, 0, 1, 1, "0.00000001"),
                bucket("2026-11-20T09:00:00Z", 2, 1, 100, 50, "0.001"),
                bucket("2026-11-20T10:00:00Z", 2, 1, 210, 100, "0.00051"),
                bucket("2026-11-21T00:00:00Z", 1, 0, 1000, 500, "0.25")),
                log.aggregate(RequestLogFilter.ALL, Granularity.HOUR));
    }

    @OnBothDatabases
    void aggregatesPerUtcDayWithFilters(TestDatabase db) {
        RequestLogRepository log = new RequestLogRepository(db.client());
        log.insertAll(sample());

        assertEquals(List.of(
                bucket("2026-11-19T00:00:00Z", 1, 0, 1, 1, "0.00000001"),
                bucket("2026-11-20T00:00:00Z", 4, 2, 310, 150, "0.00151"),
                bucket("2026-11-21T00:00:00Z", 1, 0, 1000, 500, "0.25")),
                log.aggregate(RequestLogFilter.ALL, Granularity.DAY));
        assertEquals(List.of(bucket("2026-11-20T00:00:00Z", 3, 2, 110, 50, "0.00101")),
                log.aggregate(RequestLogFilter.ALL.withApiKey("k1").between(DAY, DAY.plus(Duration.ofDays(1))),
                        Granularity.DAY));
        assertEquals(List.of(), log.aggregate(RequestLogFilter.ALL.withProvider("nobody"), Granularity.DAY));
    }

    @OnBothDatabases
    void spendPerApiKey(TestDatabase db) {
        RequestLogRepository log = new RequestLogRepository(db.client());
        log.insertAll(sample());

        assertEquals(new BigDecimal("0.00101001"), log.spentUsd("k1"));
        assertEquals(new BigDecimal("0.25050000"), log.spentUsd("k2"));
        assertEquals(BigDecimal.ZERO.setScale(8), log.spentUsd("nobody"));
        assertEquals(java.util.Map.of("k1", new BigDecimal("0.00101001"), "k2", new BigDecimal("0.25050000"),
                "nobody", BigDecimal.ZERO.setScale(8)), log.spentUsd(List.of("k1", "k2", "nobody", "k1")));
        assertEquals(java.util.Map.of(), log.spentUsd(List.of()));
    }

    @OnBothDatabases
    void spendOfMoreKeysThanOneStatementTakes(TestDatabase db) {
        RequestLogRepository log = new RequestLogRepository(db.client());
        log.insertAll(sample());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < RequestLogRepository.KEYS_PER_STATEMENT + 5; i++) {
            ids.add("other-" + i);
        }
        ids.add("k2");

        java.util.Map<String, BigDecimal> spent = log.spentUsd(ids);

        assertEquals(ids.size(), spent.size());
        assertEquals(new BigDecimal("0.25050000"), spent.get("k2"));
        assertEquals(BigDecimal.ZERO.setScale(8), spent.get("other-0"));
    }

    private static List<String> ids(RequestLogRepository log, RequestLogFilter filter) {
        return log.query(filter, PageRequest.FIRST_100).items().stream().map(RequestLogEntry::requestId).toList();
    }
}
