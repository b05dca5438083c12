package ai.higress.storage;

import java.time.Clock;

import io.helidon.dbclient.DbClient;

/**
 * The control plane's change counter: every admin change bumps it, and replicas poll it to notice changes made
 * elsewhere.
 */
public final class ConfigVersionRepository {
    private static final String CURRENT = "SELECT version FROM config_version WHERE id = 1";
    private static final String BUMP = "UPDATE config_version SET version = version + 1, updated_at = ? WHERE id = 1";

    private final DbClient db;
    private final Clock clock;

    public ConfigVersionRepository(DbClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public long current() {
        return db.execute().get(CURRENT).map(row -> Rows.longValue(row, "version"))
                .orElseThrow(() -> new StorageException("config_version has no row: is the schema migrated?"));
    }

    /**
     * Increments the version atomically (the row lock of the {@code UPDATE} serialises concurrent bumps) and returns
     * the new value, read in the same transaction.
     */
    public long bump() {
        return Sql.inTransaction(db, tx -> {
            if (tx.update(BUMP, Sql.timestamp(clock.instant())) != 1) {
                throw new StorageException("config_version has no row: is the schema migrated?");
            }
            return tx.get(CURRENT).map(row -> Rows.longValue(row, "version")).orElseThrow();
        });
    }
}
