package ai.higress.storage;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * Providers, their upstream keys and their model catalog. Deleting a provider deletes its keys, catalog rows and the
 * logical-model targets that name it (foreign keys with {@code ON DELETE CASCADE}).
 */
public final class ProviderRepository {
    private static final String PROVIDER_COLUMNS = "id, type, preset, base_url, auth_style, path_style, api_version,"
            + " headers_json, capabilities_json, max_concurrency, stream_usage, timeouts_json, default_max_tokens,"
            + " status, source, created_at, updated_at";
    private static final String UPDATE_PROVIDER = "UPDATE providers SET type = :type, preset = :preset,"
            + " base_url = :baseUrl, auth_style = :authStyle, path_style = :pathStyle, api_version = :apiVersion,"
            + " headers_json = :headers, capabilities_json = :capabilities, max_concurrency = :maxConcurrency,"
            + " stream_usage = :streamUsage, timeouts_json = :timeouts, default_max_tokens = :defaultMaxTokens,"
            + " status = :status, source = :source,"
            + " updated_at = :now WHERE id = :id";
    private static final String INSERT_PROVIDER = "INSERT INTO providers (" + PROVIDER_COLUMNS + ") VALUES (:id,"
            + " :type, :preset, :baseUrl, :authStyle, :pathStyle, :apiVersion, :headers, :capabilities,"
            + " :maxConcurrency, :streamUsage, :timeouts, :defaultMaxTokens, :status, :source, :now, :now)";
    private static final String SELECT_PROVIDER = "SELECT " + PROVIDER_COLUMNS + " FROM providers WHERE id = ?";
    private static final String LIST_PROVIDERS = "SELECT " + PROVIDER_COLUMNS + " FROM providers ORDER BY id";
    private static final String DELETE_PROVIDER = "DELETE FROM providers WHERE id = ?";

    private static final String KEY_COLUMNS = "id, provider_id, ciphertext, hint, weight, status, created_at";
    private static final String INSERT_KEY = "INSERT INTO provider_keys (" + KEY_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_KEY = "UPDATE provider_keys SET ciphertext = ?, hint = ?, weight = ?,"
            + " status = ? WHERE id = ? AND provider_id = ?";
    private static final String SELECT_KEY = "SELECT " + KEY_COLUMNS + " FROM provider_keys WHERE id = ?";
    private static final String LIST_KEYS = "SELECT " + KEY_COLUMNS + " FROM provider_keys WHERE provider_id = ?"
            + " ORDER BY created_at, id";
    private static final String DELETE_KEY = "DELETE FROM provider_keys WHERE id = ?";

    private static final String MODEL_COLUMNS = "provider_id, model, tools, vision, json_mode, streaming, reasoning,"
            + " embeddings, context_window, input_price_per_mtok, output_price_per_mtok, cached_price_per_mtok";
    private static final String UPDATE_MODEL = "UPDATE provider_models SET tools = ?, vision = ?, json_mode = ?,"
            + " streaming = ?, reasoning = ?, embeddings = ?, context_window = ?, input_price_per_mtok = ?,"
            + " output_price_per_mtok = ?, cached_price_per_mtok = ? WHERE provider_id = ? AND model = ?";
    private static final String INSERT_MODEL = "INSERT INTO provider_models (tools, vision, json_mode, streaming,"
            + " reasoning, embeddings, context_window, input_price_per_mtok, output_price_per_mtok,"
            + " cached_price_per_mtok, provider_id, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String LIST_MODELS = "SELECT " + MODEL_COLUMNS + " FROM provider_models"
            + " WHERE provider_id = ? ORDER BY model";
    private static final String LIST_ALL_MODELS = "SELECT " + MODEL_COLUMNS + " FROM provider_models"
            + " ORDER BY provider_id, model";
    private static final String DELETE_MODEL = "DELETE FROM provider_models WHERE provider_id = ? AND model = ?";
    private static final String DELETE_MODELS = "DELETE FROM provider_models WHERE provider_id = ?";

    private final DbClient db;
    private final Clock clock;

    public ProviderRepository(DbClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Inserts or replaces {@code provider}; {@code created_at} survives a replace, {@code updated_at} is now. */
    public ProviderRow upsert(Provider provider) {
        Map<String, Object> params = Sql.params("id", provider.id(), "type", provider.type(),
                "preset", provider.preset(), "baseUrl", provider.baseUrl(), "authStyle", provider.authStyle(),
                "pathStyle", provider.pathStyle(), "apiVersion", provider.apiVersion(),
                "headers", Sql.json(provider.headers()), "capabilities", Sql.json(provider.capabilities()),
                "maxConcurrency", provider.maxConcurrency(), "streamUsage", provider.streamUsage(),
                "timeouts", Sql.json(provider.timeouts()), "defaultMaxTokens", provider.defaultMaxTokens(),
                "status", Sql.code(provider.status()),
                "source", Sql.code(provider.source()), "now", Sql.timestamp(clock.instant()));
        return Sql.inTransaction(db, tx -> {
            if (tx.createUpdate(UPDATE_PROVIDER).params(params).execute() == 0) {
                tx.createInsert(INSERT_PROVIDER).params(params).execute();
            }
            return tx.get(SELECT_PROVIDER, provider.id()).map(ProviderRepository::provider).orElseThrow();
        });
    }

    public Optional<ProviderRow> get(String id) {
        return db.execute().get(SELECT_PROVIDER, id).map(ProviderRepository::provider);
    }

    public List<ProviderRow> list() {
        try (Stream<DbRow> rows = db.execute().query(LIST_PROVIDERS)) {
            return rows.map(ProviderRepository::provider).toList();
        }
    }

    /** Deletes the provider with its keys, catalog rows and the targets naming it; false when there was none. */
    public boolean delete(String id) {
        return Sql.run(() -> db.execute().delete(DELETE_PROVIDER, id)) > 0;
    }

    /** Stores a new key of an existing provider ({@link MissingReferenceException} otherwise). */
    public UpstreamKeyRow addKey(UpstreamKey key) {
        Instant now = Sql.micros(clock.instant());
        Sql.run(() -> db.execute().insert(INSERT_KEY, key.id(), key.providerId(), key.ciphertext(), key.hint(),
                key.weight(), Sql.code(key.status()), Sql.timestamp(now)));
        return new UpstreamKeyRow(key, now);
    }

    /** Replaces ciphertext, hint, weight and status of a key of {@code key.providerId()}; false when there is none. */
    public boolean updateKey(UpstreamKey key) {
        return Sql.run(() -> db.execute().update(UPDATE_KEY, key.ciphertext(), key.hint(), key.weight(),
                Sql.code(key.status()), key.id(), key.providerId())) > 0;
    }

    public Optional<UpstreamKeyRow> getKey(String keyId) {
        return db.execute().get(SELECT_KEY, keyId).map(ProviderRepository::key);
    }

    /** The provider's keys, oldest first. */
    public List<UpstreamKeyRow> keys(String providerId) {
        try (Stream<DbRow> rows = db.execute().query(LIST_KEYS, providerId)) {
            return rows.map(ProviderRepository::key).toList();
        }
    }

    public boolean deleteKey(String keyId) {
        return db.execute().delete(DELETE_KEY, keyId) > 0;
    }

    /** Inserts or replaces one catalog entry of an existing provider. */
    public void upsertModel(ProviderModel model) {
        Sql.inTransaction(db, tx -> {
            upsertModel(tx, model);
            return null;
        });
    }

    /** Makes {@code models} the provider's whole catalog, in one transaction. */
    public void replaceModels(String providerId, List<ProviderModel> models) {
        models.forEach(model -> {
            if (!model.providerId().equals(providerId)) {
                throw new IllegalArgumentException("Model " + model.model() + " belongs to " + model.providerId()
                        + ", not " + providerId);
            }
        });
        Sql.inTransaction(db, tx -> {
            tx.delete(DELETE_MODELS, providerId);
            models.forEach(model -> upsertModel(tx, model));
            return null;
        });
    }

    /** The provider's catalog by model name. */
    public List<ProviderModel> models(String providerId) {
        try (Stream<DbRow> rows = db.execute().query(LIST_MODELS, providerId)) {
            return rows.map(ProviderRepository::model).toList();
        }
    }

    /** The whole catalog by provider and model name. */
    public List<ProviderModel> allModels() {
        try (Stream<DbRow> rows = db.execute().query(LIST_ALL_MODELS)) {
            return rows.map(ProviderRepository::model).toList();
        }
    }

    public boolean deleteModel(String providerId, String model) {
        return db.execute().delete(DELETE_MODEL, providerId, model) > 0;
    }

    private static void upsertModel(DbExecute tx, ProviderModel model) {
        Object[] params = {model.tools(), model.vision(), model.jsonMode(), model.streaming(), model.reasoning(),
                model.embeddings(), Sql.nullable(model.contextWindow()), model.inputPricePerMtok(),
                model.outputPricePerMtok(), model.cachedPricePerMtok(), model.providerId(), model.model()};
        if (tx.update(UPDATE_MODEL, params) == 0) {
            tx.insert(INSERT_MODEL, params);
        }
    }

    private static ProviderRow provider(DbRow row) {
        Provider provider = new Provider(Rows.string(row, "id"), Rows.string(row, "type"),
                Rows.string(row, "preset"), Rows.string(row, "base_url"), Rows.string(row, "auth_style"),
                Rows.string(row, "path_style"), Rows.string(row, "api_version"), Rows.stringMap(row, "headers_json"),
                Rows.json(row, "capabilities_json"), Rows.integer(row, "max_concurrency"),
                Rows.bool(row, "stream_usage"), Rows.json(row, "timeouts_json"), Rows.integer(row, "default_max_tokens"),
                Rows.enumValue(row, "status", Status.class), Rows.enumValue(row, "source", Source.class));
        return new ProviderRow(provider, Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"));
    }

    private static UpstreamKeyRow key(DbRow row) {
        return new UpstreamKeyRow(new UpstreamKey(Rows.string(row, "id"), Rows.string(row, "provider_id"),
                Rows.string(row, "ciphertext"), Rows.string(row, "hint"), Rows.integer(row, "weight"),
                Rows.enumValue(row, "status", Status.class)), Rows.instant(row, "created_at"));
    }

    private static ProviderModel model(DbRow row) {
        return new ProviderModel(Rows.string(row, "provider_id"), Rows.string(row, "model"),
                Rows.bool(row, "tools"), Rows.bool(row, "vision"), Rows.bool(row, "json_mode"),
                Rows.bool(row, "streaming"), Rows.bool(row, "reasoning"), Rows.bool(row, "embeddings"),
                Rows.optionalInteger(row, "context_window"),
                Rows.money(row, "input_price_per_mtok"), Rows.money(row, "output_price_per_mtok"),
                Rows.money(row, "cached_price_per_mtok"));
    }
}
