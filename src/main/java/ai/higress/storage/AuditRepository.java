package ai.higress.storage;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/** The append-only audit log of admin actions. */
public final class AuditRepository {
    private static final String COLUMNS = "id, created_at, actor, action, resource_type, resource_id, details_json";
    private static final String INSERT = "INSERT INTO audit_log (created_at, actor, action, resource_type,"
            + " resource_id, details_json) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM audit_log";
    private static final String ORDER = "ORDER BY created_at DESC, id DESC";

    private final DbClient db;
    private final Clock clock;

    public AuditRepository(DbClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Records an action now; {@code details} must not contain secrets. */
    public AuditEntry append(String actor, String action, String resourceType, String resourceId, JsonNode details) {
        Instant now = Sql.micros(clock.instant());
        long id;
        try (Stream<DbRow> keys = db.execute().createInsert(INSERT)
                .params(Sql.timestamp(now), actor, action, resourceType, resourceId, Sql.json(details))
                .returnColumns(List.of("id"))
                .insert()
                .generatedKeys()) {
            id = keys.findFirst().map(row -> Rows.longValue(row, "id")).orElseThrow(
                    () -> new StorageException("The database returned no id for the audit entry", null));
        }
        return new AuditEntry(id, now, actor, action, resourceType, resourceId, details);
    }

    /** Matching entries, newest first, one page at a time. */
    public Page<AuditEntry> list(AuditFilter filter, PageRequest page) {
        return new Where()
                .and(filter.actor(), "actor = ?")
                .and(filter.resourceType(), "resource_type = ?")
                .and(filter.from(), "created_at >= ?", Sql::timestamp)
                .and(filter.to(), "created_at < ?", Sql::timestamp)
                .page(db.execute(), SELECT, "audit_log", ORDER, page, AuditRepository::entry);
    }

    private static AuditEntry entry(DbRow row) {
        return new AuditEntry(Rows.longValue(row, "id"), Rows.instant(row, "created_at"), Rows.string(row, "actor"),
                Rows.string(row, "action"), Rows.string(row, "resource_type"), Rows.string(row, "resource_id"),
                Rows.json(row, "details_json"));
    }
}
