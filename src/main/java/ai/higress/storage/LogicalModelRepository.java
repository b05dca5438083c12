package ai.higress.storage;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * Logical models and their ordered targets. Targets are only ever replaced as a whole, inside one transaction with the
 * model row, so readers never see a half-written list.
 */
public final class LogicalModelRepository {
    private static final String COLUMNS = "name, strategy, fallbacks_json, hedge_json, source, created_at, updated_at";
    private static final String UPDATE_MODEL = "UPDATE logical_models SET strategy = :strategy,"
            + " fallbacks_json = :fallbacks, hedge_json = :hedge, source = :source, updated_at = :now"
            + " WHERE name = :name";
    private static final String INSERT_MODEL = "INSERT INTO logical_models (" + COLUMNS + ")"
            + " VALUES (:name, :strategy, :fallbacks, :hedge, :source, :now, :now)";
    private static final String TOUCH_MODEL = "UPDATE logical_models SET updated_at = ? WHERE name = ?";
    private static final String SELECT_MODEL = "SELECT " + COLUMNS + " FROM logical_models WHERE name = ?";
    private static final String LIST_MODELS = "SELECT " + COLUMNS + " FROM logical_models ORDER BY name";
    private static final String DELETE_MODEL = "DELETE FROM logical_models WHERE name = ?";

    private static final String TARGET_COLUMNS = "model_name, position, provider_id, upstream_model, weight, priority";
    private static final String INSERT_TARGETS = "INSERT INTO model_targets (" + TARGET_COLUMNS + ") VALUES ";
    private static final String DELETE_TARGETS = "DELETE FROM model_targets WHERE model_name = ?";
    private static final String SELECT_TARGETS = "SELECT " + TARGET_COLUMNS + " FROM model_targets"
            + " WHERE model_name = ? ORDER BY position";
    private static final String LIST_TARGETS = "SELECT " + TARGET_COLUMNS + " FROM model_targets"
            + " ORDER BY model_name, position";

    private final DbClient db;
    private final Clock clock;

    public LogicalModelRepository(DbClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Inserts or replaces {@code model} together with its targets, atomically. */
    public LogicalModelRow upsert(LogicalModel model) {
        Map<String, Object> params = Sql.params("name", model.name(), "strategy", model.strategy(),
                "fallbacks", Sql.json(model.fallbacks()), "hedge", Sql.json(model.hedge()),
                "source", Sql.code(model.source()), "now", Sql.timestamp(clock.instant()));
        return Sql.inTransaction(db, tx -> {
            if (tx.createUpdate(UPDATE_MODEL).params(params).execute() == 0) {
                tx.createInsert(INSERT_MODEL).params(params).execute();
            }
            writeTargets(tx, model.name(), model.targets());
            return read(tx, model.name()).orElseThrow();
        });
    }

    /**
     * Replaces the model's targets, atomically: on any failure (such as a target naming an unknown provider, a
     * {@link MissingReferenceException}) the previous targets stay.
     *
     * @return false when there is no such model
     */
    public boolean replaceTargets(String name, List<ModelTarget> targets) {
        return Sql.inTransaction(db, tx -> {
            if (tx.update(TOUCH_MODEL, Sql.timestamp(clock.instant()), name) == 0) {
                return false;
            }
            writeTargets(tx, name, targets);
            return true;
        });
    }

    public Optional<LogicalModelRow> get(String name) {
        return read(db.execute(), name);
    }

    /** Every logical model with its targets, by name; two queries whatever the number of models. */
    public List<LogicalModelRow> list() {
        Map<String, List<ModelTarget>> targets = new LinkedHashMap<>();
        try (Stream<DbRow> rows = db.execute().query(LIST_TARGETS)) {
            rows.forEach(row -> targets.computeIfAbsent(Rows.string(row, "model_name"), name -> new ArrayList<>())
                    .add(target(row)));
        }
        try (Stream<DbRow> rows = db.execute().query(LIST_MODELS)) {
            return rows.map(row -> model(row, targets.getOrDefault(Rows.string(row, "name"), List.of()))).toList();
        }
    }

    /** Deletes the model and its targets; false when there was none. */
    public boolean delete(String name) {
        return Sql.run(() -> db.execute().delete(DELETE_MODEL, name)) > 0;
    }

    private static void writeTargets(DbExecute tx, String name, List<ModelTarget> targets) {
        tx.delete(DELETE_TARGETS, name);
        if (targets.isEmpty()) {
            return;
        }
        List<Object> params = new ArrayList<>();
        for (int position = 0; position < targets.size(); position++) {
            ModelTarget target = targets.get(position);
            params.addAll(List.of(name, position, target.providerId(), target.upstreamModel(), target.weight(),
                    target.priority()));
        }
        tx.createInsert(INSERT_TARGETS + Sql.valueRows(6, targets.size())).params(params).execute();
    }

    private static Optional<LogicalModelRow> read(DbExecute execute, String name) {
        Optional<DbRow> row = execute.get(SELECT_MODEL, name);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        try (Stream<DbRow> rows = execute.query(SELECT_TARGETS, name)) {
            return Optional.of(model(row.get(), rows.map(LogicalModelRepository::target).toList()));
        }
    }

    private static LogicalModelRow model(DbRow row, List<ModelTarget> targets) {
        LogicalModel model = new LogicalModel(Rows.string(row, "name"), Rows.string(row, "strategy"),
                Rows.stringList(row, "fallbacks_json"), Rows.json(row, "hedge_json"),
                Rows.enumValue(row, "source", Source.class), targets);
        return new LogicalModelRow(model, Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"));
    }

    private static ModelTarget target(DbRow row) {
        return new ModelTarget(Rows.string(row, "provider_id"), Rows.string(row, "upstream_model"),
                Rows.integer(row, "weight"), Rows.integer(row, "priority"));
    }
}
