package ai.higress.storage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ai.higress.observe.Outcome;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/**
 * The usage log: batched writes, filtered pages, hourly or daily totals, spend per API key.
 *
 * <p>Batches are written as multi-row {@code INSERT ... VALUES (...), (...)} statements through the {@code DbClient}:
 * Helidon's DbClient has no JDBC batch API, and a multi-row insert is one statement and one round trip on both
 * PostgreSQL and H2 without driver-specific settings (pgjdbc only turns a JDBC batch into one when
 * {@code reWriteBatchedInserts} is set). A batch of up to {@value #ROWS_PER_STATEMENT} rows is one statement; larger
 * batches are split, all inside one transaction. {@code ON CONFLICT DO NOTHING} (which H2 accepts in PostgreSQL mode)
 * makes a retried batch harmless: rows already stored are skipped.
 *
 * <p>Hour and day buckets are computed portably as {@code FLOOR(EXTRACT(EPOCH FROM created_at) / width)}, which
 * counts whole UTC hours or days since the epoch on both engines whatever the session time zone ({@code DATE_TRUNC}
 * on a {@code timestamptz} truncates in the PostgreSQL session's zone, which pgjdbc sets from the JVM's).
 */
public final class RequestLogRepository {
    /** Rows per statement: 18 parameters each, 18,000 in all, well below PostgreSQL's limit of 65,535. */
    static final int ROWS_PER_STATEMENT = 1000;
    private static final int COLUMN_COUNT = 18;
    private static final String COLUMNS = "request_id, created_at, api_key_id, route, logical_model, provider_id,"
            + " upstream_model, stream, status, outcome, error_code, duration_ms, ttft_ms, prompt_tokens,"
            + " completion_tokens, cached_tokens, cost_usd, attempts_json";
    private static final String INSERT = "INSERT INTO request_log (" + COLUMNS + ") VALUES ";
    private static final String SKIP_DUPLICATES = " ON CONFLICT DO NOTHING";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM request_log";
    private static final String ORDER = "ORDER BY created_at DESC, request_id DESC";
    private static final String AGGREGATE = "SELECT bucket, COUNT(*) AS requests,"
            + " SUM(CASE WHEN outcome <> '" + Outcome.SUCCESS.tag() + "' THEN 1 ELSE 0 END) AS errors,"
            + " SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens,"
            + " SUM(cost_usd) AS cost_usd FROM (SELECT FLOOR(EXTRACT(EPOCH FROM created_at) / %d) AS bucket,"
            + " outcome, prompt_tokens, completion_tokens, cost_usd FROM request_log%s) buckets"
            + " GROUP BY bucket ORDER BY bucket";
    private static final String SPENT = "SELECT COALESCE(SUM(cost_usd), 0) AS spent FROM request_log"
            + " WHERE api_key_id = ?";
    private static final String SPENT_BY_KEY = "SELECT api_key_id, SUM(cost_usd) AS spent FROM request_log"
            + " WHERE api_key_id IN (%s) GROUP BY api_key_id";
    /** Key ids per spend query: one admin page at most, well below every engine's parameter limit. */
    static final int KEYS_PER_STATEMENT = PageRequest.MAX_LIMIT;

    private final DbClient db;

    public RequestLogRepository(DbClient db) {
        this.db = db;
    }

    /**
     * Stores {@code entries} in one transaction, {@value #ROWS_PER_STATEMENT} rows per statement; entries whose request
     * id is already stored are skipped.
     *
     * @return how many rows were stored
     */
    public long insertAll(List<RequestLogEntry> entries) {
        if (entries.isEmpty()) {
            return 0;
        }
        return Sql.inTransaction(db, tx -> {
            long stored = 0;
            for (int from = 0; from < entries.size(); from += ROWS_PER_STATEMENT) {
                int to = Math.min(entries.size(), from + ROWS_PER_STATEMENT);
                List<RequestLogEntry> chunk = entries.subList(from, to);
                List<Object> params = new ArrayList<>(chunk.size() * COLUMN_COUNT);
                chunk.forEach(entry -> params.addAll(values(entry)));
                stored += tx.createInsert(INSERT + Sql.valueRows(COLUMN_COUNT, chunk.size()) + SKIP_DUPLICATES)
                        .params(params)
                        .execute();
            }
            return stored;
        });
    }

    /** Matching rows, newest first, one page at a time. */
    public Page<RequestLogEntry> query(RequestLogFilter filter, PageRequest page) {
        return filter.where().page(db.execute(), SELECT, "request_log", ORDER, page, RequestLogRepository::entry);
    }

    /** Totals per UTC hour or day of the matching rows, oldest first; hours or days without requests are absent. */
    public List<UsageBucket> aggregate(RequestLogFilter filter, Granularity granularity) {
        long width = granularity.width().toSeconds();
        Where where = filter.where();
        try (Stream<DbRow> rows = db.execute()
                .createQuery(AGGREGATE.formatted(width, where.sql()))
                .params(where.params())
                .execute()) {
            return rows.map(row -> new UsageBucket(Instant.ofEpochSecond(Rows.longValue(row, "bucket") * width),
                    Rows.longValue(row, "requests"), Rows.longValue(row, "errors"),
                    Rows.longValue(row, "prompt_tokens"), Rows.longValue(row, "completion_tokens"),
                    Rows.money(row, "cost_usd"))).toList();
        }
    }

    /** Everything the API key has cost so far. */
    public BigDecimal spentUsd(String apiKeyId) {
        return db.execute().get(SPENT, apiKeyId)
                .map(row -> Rows.money(row, "spent"))
                .orElse(Rows.money(BigDecimal.ZERO));
    }

    /**
     * What each of {@code apiKeyIds} has cost so far, in one indexed query per {@value #KEYS_PER_STATEMENT} ids; every
     * id is in the answer, with zero when it has no logged request.
     */
    public Map<String, BigDecimal> spentUsd(Collection<String> apiKeyIds) {
        Map<String, BigDecimal> spent = new LinkedHashMap<>();
        List<String> ids = List.copyOf(new LinkedHashSet<>(apiKeyIds));
        ids.forEach(id -> spent.put(id, Rows.money(BigDecimal.ZERO)));
        for (int from = 0; from < ids.size(); from += KEYS_PER_STATEMENT) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + KEYS_PER_STATEMENT));
            try (Stream<DbRow> rows = db.execute()
                    .createQuery(SPENT_BY_KEY.formatted(String.join(", ", Collections.nCopies(chunk.size(), "?"))))
                    .params(List.<Object>copyOf(chunk))
                    .execute()) {
                rows.forEach(row -> spent.put(Rows.string(row, "api_key_id"), Rows.money(row, "spent")));
            }
        }
        return spent;
    }

    private static List<Object> values(RequestLogEntry entry) {
        List<Object> values = new ArrayList<>(COLUMN_COUNT);
        values.add(entry.requestId());
        values.add(Sql.timestamp(entry.createdAt()));
        values.add(entry.apiKeyId());
        values.add(entry.route());
        values.add(entry.logicalModel());
        values.add(entry.providerId());
        values.add(entry.upstreamModel());
        values.add(entry.stream());
        values.add(entry.status());
        values.add(entry.outcome().tag());
        values.add(entry.errorCode());
        values.add(entry.durationMs());
        values.add(Sql.nullable(entry.ttftMs()));
        values.add(entry.promptTokens());
        values.add(entry.completionTokens());
        values.add(entry.cachedTokens());
        values.add(entry.costUsd());
        values.add(Sql.json(entry.attempts()));
        return values;
    }

    private static RequestLogEntry entry(DbRow row) {
        return new RequestLogEntry(Rows.string(row, "request_id"), Rows.instant(row, "created_at"),
                Rows.string(row, "api_key_id"), Rows.string(row, "route"), Rows.string(row, "logical_model"),
                Rows.string(row, "provider_id"), Rows.string(row, "upstream_model"), Rows.bool(row, "stream"),
                Rows.integer(row, "status"), Rows.enumValue(row, "outcome", Outcome.class),
                Rows.string(row, "error_code"), Rows.integer(row, "duration_ms"), Rows.optionalInteger(row, "ttft_ms"),
                Rows.longValue(row, "prompt_tokens"), Rows.longValue(row, "completion_tokens"),
                Rows.longValue(row, "cached_tokens"), Rows.money(row, "cost_usd"), Rows.json(row, "attempts_json"));
    }
}
