package ai.higress.admin;

import java.time.Clock;

import ai.higress.storage.AdminUserRepository;
import ai.higress.storage.ApiKeyRepository;
import ai.higress.storage.AuditRepository;
import ai.higress.storage.ConfigVersionRepository;
import ai.higress.storage.Database;
import ai.higress.storage.LogicalModelRepository;
import ai.higress.storage.ProviderRepository;
import ai.higress.storage.RequestLogRepository;

/** Every repository of the control plane, over one database. */
public record Repositories(ProviderRepository providers, LogicalModelRepository models, ApiKeyRepository keys,
                           AdminUserRepository users, AuditRepository audit, RequestLogRepository requests,
                           ConfigVersionRepository versions) {

    public static Repositories create(Database database, Clock clock) {
        var db = database.dbClient();
        return new Repositories(new ProviderRepository(db, clock), new LogicalModelRepository(db, clock),
                new ApiKeyRepository(db, clock), new AdminUserRepository(db, clock), new AuditRepository(db, clock),
                new RequestLogRepository(db), new ConfigVersionRepository(db, clock));
    }
}
