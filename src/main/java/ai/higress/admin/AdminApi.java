package ai.higress.admin;

import java.time.Clock;

import ai.higress.auth.KeyHasher;
import ai.higress.auth.PasswordHasher;
import ai.higress.auth.SecretBox;
import ai.higress.auth.SpendLedger;
import ai.higress.config.AdminConfig;
import ai.higress.routing.ChatDispatcher;
import ai.higress.routing.HealthTracker;
import ai.higress.session.Sessions;

import io.helidon.webserver.http.HttpRouting;

/** The admin REST API under {@code /admin/api/}: builds its services and registers them on a routing. */
public final class AdminApi {
    private final AdminSupport support;
    private final Repositories repositories;
    private final KeyHasher hasher;
    private final SecretBox box;
    private final SpendLedger spend;
    private final ChatDispatcher dispatcher;
    private final HealthTracker health;
    private final ai.higress.catalog.ModelCatalog catalog;
    private final Sessions sessions;

    public AdminApi(AdminConfig config, Repositories repositories, ControlPlane controlPlane, KeyHasher hasher,
                    SecretBox box, SpendLedger spend, ChatDispatcher dispatcher, HealthTracker health, Clock clock,
                    ai.higress.catalog.ModelCatalog catalog, Sessions sessions) {
        this.catalog = catalog;
        this.sessions = sessions;
        this.repositories = repositories;
        this.hasher = hasher;
        this.box = box;
        this.spend = spend;
        this.dispatcher = dispatcher;
        this.health = health;
        this.support = new AdminSupport(new AdminAuthenticator(config, repositories.users(), new PasswordHasher(),
                controlPlane.fileConfig().controlPlane().sessionTtl(), clock), repositories.audit(), controlPlane);
    }

    public void register(HttpRouting.Builder routing) {
        ProviderAccess providerAccess = new ProviderAccess(support, repositories.providers(), box);
        routing.register(new AdminRoutingService(support, dispatcher, health))
                .register(new AdminCatalogService(support, catalog))
                .register(new KeysAdminService(support, repositories.keys(), hasher, spend,
                        repositories.requests()))
                .register(new UsersAdminService(support, repositories.users(), new PasswordHasher()))
                .register(new ProvidersAdminService(support, repositories.providers(), repositories.models(),
                        providerAccess))
                .register(new ProviderKeysAdminService(support, repositories.providers(), providerAccess))
                .register(new ProviderCatalogAdminService(support, repositories.providers(), providerAccess))
                .register(new ModelsAdminService(support, repositories.models(), repositories.providers(), box))
                .register(new UsageAdminService(support, repositories.requests()))
                .register(new AuditAdminService(support, repositories.audit()))
                .register(new SessionsAdminService(support, sessions))
                .register(new AdminUiService());
    }

    SecretBox box() {
        return box;
    }
}
