package ai.higress.storage;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import ai.higress.config.SessionText;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/** Client API keys, looked up by the HMAC of their secret. */
public final class ApiKeyRepository {
    private static final String COLUMNS = "id, name, owner, secret_hash, display_prefix, allowed_models_json,"
            + " expires_at, disabled, disabled_reason, rpm_limit, tpm_limit, budget_usd, session_text, created_at,"
            + " updated_at";
    private static final String INSERT = "INSERT INTO api_keys (" + COLUMNS + ") VALUES (:id, :name, :owner,"
            + " :secretHash, :displayPrefix, :allowedModels, :expiresAt, :disabled, :disabledReason, :rpmLimit,"
            + " :tpmLimit, :budgetUsd, :sessionText, :now, :now)";
    private static final String UPDATE = "UPDATE api_keys SET name = :name, owner = :owner,"
            + " allowed_models_json = :allowedModels, expires_at = :expiresAt, disabled = :disabled,"
            + " disabled_reason = :disabledReason, rpm_limit = :rpmLimit, tpm_limit = :tpmLimit,"
            + " budget_usd = :budgetUsd, session_text = :sessionText, updated_at = :now WHERE id = :id";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM api_keys";
    private static final String BY_ID = SELECT + " WHERE id = ?";
    private static final String BY_HASH = SELECT + " WHERE secret_hash = ?";
    private static final String DELETE = "DELETE FROM api_keys WHERE id = ?";
    private static final String ORDER = "ORDER BY created_at DESC, id DESC";
    private static final String NAME_CONTAINS = "LOWER(name) LIKE ? ESCAPE '!'";
    private static final String OWNER_IS = "owner = ?";
    private static final String DISABLED_IS = "disabled = ?";

    private final DbClient db;
    private final Clock clock;

    public ApiKeyRepository(DbClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Stores a new key.
     *
     * @throws DuplicateKeyException when the id or the secret hash is taken
     */
    public ApiKeyRow insert(String id, String secretHash, String displayPrefix, ApiKeySettings settings) {
        Instant now = Sql.micros(clock.instant());
        Map<String, Object> params = params(id, settings, now);
        params.put("secretHash", secretHash);
        params.put("displayPrefix", displayPrefix);
        Sql.run(() -> db.execute().createInsert(INSERT).params(params).execute());
        return new ApiKeyRow(id, secretHash, displayPrefix, settings, now, now);
    }

    /** The key whose secret has this HMAC: the lookup on every authenticated request. */
    public Optional<ApiKeyRow> findBySecretHash(String secretHash) {
        return db.execute().get(BY_HASH, secretHash).map(ApiKeyRepository::key);
    }

    public Optional<ApiKeyRow> get(String id) {
        return db.execute().get(BY_ID, id).map(ApiKeyRepository::key);
    }

    /** Matching keys, newest first, one page at a time. */
    public Page<ApiKeyRow> list(ApiKeyFilter filter, PageRequest page) {
        return new Where()
                .and(filter.nameContains(), NAME_CONTAINS, text -> Sql.containsPattern(text.toLowerCase(Locale.ROOT)))
                .and(filter.owner(), OWNER_IS)
                .and(filter.disabled(), DISABLED_IS)
                .page(db.execute(), SELECT, "api_keys", ORDER, page, ApiKeyRepository::key);
    }

    /** Replaces the key's settings; empty when there is no such key. */
    public Optional<ApiKeyRow> update(String id, ApiKeySettings settings) {
        Map<String, Object> params = params(id, settings, Sql.micros(clock.instant()));
        return Sql.inTransaction(db, tx -> tx.createUpdate(UPDATE).params(params).execute() == 0
                ? Optional.<ApiKeyRow>empty()
                : tx.get(BY_ID, id).map(ApiKeyRepository::key));
    }

    public boolean delete(String id) {
        return db.execute().delete(DELETE, id) > 0;
    }

    private static Map<String, Object> params(String id, ApiKeySettings settings, Instant now) {
        return Sql.params("id", id, "name", settings.name(), "owner", settings.owner(),
                "allowedModels", Sql.json(settings.allowedModels()), "expiresAt", Sql.nullable(settings.expiresAt()),
                "disabled", settings.disabled(), "disabledReason", settings.disabledReason(),
                "rpmLimit", Sql.nullable(settings.rpmLimit()), "tpmLimit", Sql.nullable(settings.tpmLimit()),
                "budgetUsd", Sql.nullable(settings.budgetUsd()), "sessionText", settings.sessionText().tag(),
                "now", Sql.timestamp(now));
    }

    private static ApiKeyRow key(DbRow row) {
        ApiKeySettings settings = new ApiKeySettings(Rows.string(row, "name"), Rows.string(row, "owner"),
                Rows.stringList(row, "allowed_models_json"), Rows.optionalInstant(row, "expires_at"),
                Rows.bool(row, "disabled"), Rows.string(row, "disabled_reason"),
                Rows.optionalInteger(row, "rpm_limit"), Rows.optionalInteger(row, "tpm_limit"),
                Rows.optionalMoney(row, "budget_usd"),
                SessionText.parse(Rows.string(row, "session_text")).orElse(SessionText.DEFAULT));
        return new ApiKeyRow(Rows.string(row, "id"), Rows.string(row, "secret_hash"),
                Rows.string(row, "display_prefix"), settings, Rows.instant(row, "created_at"),
                Rows.instant(row, "updated_at"));
    }
}
