package ai.higress.admin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import ai.higress.auth.ApiKeyAuthenticator;
import ai.higress.auth.KeyLimits;
import ai.higress.auth.ManagedKey;
import ai.higress.auth.SecretBox;
import ai.higress.auth.SpendLedger;
import ai.higress.config.ConfigException;
import ai.higress.config.GatewayConfig;
import ai.higress.config.ModelConfig;
import ai.higress.config.ProviderConfig;
import ai.higress.config.TargetConfig;
import ai.higress.routing.RoutingTables;
import ai.higress.storage.ApiKeyFilter;
import ai.higress.storage.ApiKeyRow;
import ai.higress.storage.ConfigVersionRepository;
import ai.higress.storage.LogicalModelRow;
import ai.higress.storage.Page;
import ai.higress.storage.PageRequest;
import ai.higress.storage.ProviderRow;
import ai.higress.storage.Source;
import ai.higress.storage.Status;

/**
 * Keeps every replica's routing and keys in step with the database. At start-up the configuration file's providers
 * and models are written to the database as {@code config} entities (read-only through the API; their credentials
 * stay in memory), stale ones are removed, and the effective configuration (file plus database entities) is applied.
 * A background virtual thread then polls the configuration version and re-applies on every change; an admin change
 * on this replica applies at once. A database error keeps the last good configuration.
 */
public final class ControlPlane implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(ControlPlane.class.getName());
    private static final int SPEND_REFRESH_POLLS = 5;

    private final GatewayConfig fileConfig;
    private final Repositories repositories;
    private final SecretBox box;
    private final RoutingTables tables;
    private final ApiKeyAuthenticator authenticator;
    private final SpendLedger spend;
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile GatewayConfig effective;
    private volatile long appliedVersion = -1;
    private volatile boolean running = true;
    private volatile List<String> budgetedKeys = List.of();
    private Thread poller;

    public ControlPlane(GatewayConfig fileConfig, Repositories repositories, SecretBox box, RoutingTables tables,
                        ApiKeyAuthenticator authenticator, SpendLedger spend) {
        this.fileConfig = fileConfig;
        this.repositories = repositories;
        this.box = box;
        this.tables = tables;
        this.authenticator = authenticator;
        this.spend = spend;
        this.effective = fileConfig;
    }

    /** Writes the file's entities, applies the effective configuration and starts polling for changes. */
    public void start() {
        syncFileEntities();
        repositories.versions().bump();
        reload();
        poller = Thread.ofVirtual().name("control-plane-poller").start(this::poll);
    }

    /** The configuration currently applied (file and database entities). */
    public GatewayConfig effective() {
        return effective;
    }

    /** The configuration file's view, for telling config-managed entities apart. */
    public GatewayConfig fileConfig() {
        return fileConfig;
    }

    /** Records a change made through the admin API: every replica (this one at once) re-applies. */
    public void changed() {
        repositories.versions().bump();
        reload();
    }

    /** Re-reads the database and applies what it holds. */
    public void reload() {
        reloading.lock();
        try {
            long version = repositories.versions().current();
            GatewayConfig loaded = load();
            tables.apply(loaded, version);
            List<ManagedKey> keys = managedKeys();
            loadSpend(keys);
            authenticator.replaceManaged(keys);
            effective = loaded;
            appliedVersion = version;
        } finally {
            reloading.unlock();
        }
    }

    private void poll() {
        int polls = 0;
        while (running) {
            try {
                Thread.sleep(fileConfig.controlPlane().pollInterval());
                if (repositories.versions().current() != appliedVersion) {
                    reload();
                } else if (++polls % SPEND_REFRESH_POLLS == 0 && !budgetedKeys.isEmpty()) {
                    // what other replicas charged reaches this one's budget checks within a few polls
                    repositories.requests().spentUsd(budgetedKeys).forEach(spend::set);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOGGER.log(System.Logger.Level.WARNING, "checking for configuration changes failed; keeping version "
                        + appliedVersion + ": " + e.getMessage());
            }
        }
    }

    private void syncFileEntities() {
        Set<String> fileProviders = fileConfig.providers().keySet();
        for (ProviderConfig provider : fileConfig.providers().values()) {
            repositories.providers().upsert(EntityMapping.providerRow(provider, Source.CONFIG, Status.ACTIVE));
            repositories.providers().replaceModels(provider.id(), EntityMapping.modelRows(provider));
        }
        for (ModelConfig model : fileConfig.models().values()) {
            repositories.models().upsert(EntityMapping.modelRow(model, Source.CONFIG));
        }
        for (LogicalModelRow row : repositories.models().list()) {
            if (row.model().source() == Source.CONFIG && !fileConfig.models().containsKey(row.model().name())) {
                repositories.models().delete(row.model().name());
            }
        }
        for (ProviderRow row : repositories.providers().list()) {
            if (row.provider().source() == Source.CONFIG && !fileProviders.contains(row.provider().id())) {
                repositories.providers().delete(row.provider().id());
            }
        }
    }

    private GatewayConfig load() {
        Map<String, ProviderConfig> providers = new LinkedHashMap<>(fileConfig.providers());
        for (ProviderRow row : repositories.providers().list()) {
            String id = row.provider().id();
            if (row.provider().source() == Source.DATABASE && row.provider().status() == Status.ACTIVE) {
                try {
                    providers.put(id, EntityMapping.providerConfig(row.provider(), repositories.providers().keys(id)
                                    .stream().map(keyRow -> keyRow.key()).toList(),
                            repositories.providers().models(id), box, fileConfig.timeouts()));
                } catch (RuntimeException e) {
                    LOGGER.log(System.Logger.Level.WARNING, "provider '" + id + "' is not routable: " + e.getMessage());
                }
            }
        }
        Map<String, ModelConfig> models = new LinkedHashMap<>(fileConfig.models());
        List<LogicalModelRow> rows = repositories.models().list();
        for (LogicalModelRow row : rows) {
            if (row.model().source() == Source.DATABASE) {
                models.put(row.model().name(), EntityMapping.modelConfig(row.model()));
            }
        }
        return consistent(providers, models);
    }

    /**
     * Makes the database models fit the providers in force instead of failing the reload: a target on a provider that
     * is disabled or gone is skipped (its model keeps its other targets), a model left without a usable target is not
     * routable, and a fallback naming a model that is not routable is skipped. File models are taken as they are (the
     * file was validated at start-up and its providers are always present).
     */
    private GatewayConfig consistent(Map<String, ProviderConfig> providers, Map<String, ModelConfig> models) {
        Map<String, ModelConfig> usable = new LinkedHashMap<>();
        for (ModelConfig model : models.values()) {
            if (fileConfig.models().containsKey(model.name())) {
                usable.put(model.name(), model);
                continue;
            }
            List<TargetConfig> targets = model.targets().stream()
                    .filter(target -> providers.containsKey(target.provider())).toList();
            if (targets.stream().noneMatch(target -> target.weight() > 0)) {
                LOGGER.log(System.Logger.Level.INFO, "model '" + model.name() + "' has no target on an active "
                        + "provider; it is not routable");
                continue;
            }
            if (targets.size() < model.targets().size()) {
                LOGGER.log(System.Logger.Level.INFO, "model '" + model.name() + "': targets on disabled or missing "
                        + "providers are skipped");
            }
            usable.put(model.name(), targets.size() == model.targets().size() ? model
                    : new ModelConfig(model.name(), targets, model.strategy(), model.fallbacks(), model.hedge()));
        }
        usable.replaceAll((name, model) -> {
            List<String> fallbacks = model.fallbacks().stream().filter(usable::containsKey).toList();
            if (fallbacks.size() == model.fallbacks().size()) {
                return model;
            }
            LOGGER.log(System.Logger.Level.INFO, "model '" + name + "': fallbacks that are not routable are skipped");
            return new ModelConfig(name, model.targets(), model.strategy(), fallbacks, model.hedge());
        });
        try {
            return fileConfig.withEntities(providers, usable);
        } catch (ConfigException e) {
            LOGGER.log(System.Logger.Level.WARNING, "database entities are inconsistent (" + e.getMessage()
                    + "); routing with the configuration file only");
            return fileConfig;
        }
    }

    private List<ManagedKey> managedKeys() {
        List<ManagedKey> keys = new ArrayList<>();
        int offset = 0;
        while (true) {
            Page<ApiKeyRow> page = repositories.keys().list(ApiKeyFilter.ALL, new PageRequest(PageRequest.MAX_LIMIT,
                    offset));
            for (ApiKeyRow row : page.items()) {
                keys.add(managedKey(row));
            }
            offset += page.items().size();
            if (page.items().isEmpty() || offset >= page.total()) {
                return keys;
            }
        }
    }

    /**
     * What keys with a budget have spent, from the request log. Other replicas' spend arrives with each change (or
     * restart); between them each replica adds what it serves itself.
     */
    private void loadSpend(List<ManagedKey> keys) {
        List<String> budgeted = keys.stream().filter(key -> key.limits().budgetUsd().isPresent())
                .map(ManagedKey::id).toList();
        budgetedKeys = budgeted;
        if (!budgeted.isEmpty()) {
            repositories.requests().spentUsd(budgeted).forEach(spend::set);
        }
    }

    static ManagedKey managedKey(ApiKeyRow row) {
        var settings = row.settings();
        return new ManagedKey(row.id(), settings.name(), row.secretHash(), new HashSet<>(settings.allowedModels()),
                settings.expiresAt(), settings.disabled(), settings.disabledReason(),
                new KeyLimits(settings.rpmLimit().map(OptionalInt::of).orElse(OptionalInt.empty()),
                        settings.tpmLimit().map(OptionalInt::of).orElse(OptionalInt.empty()), settings.budgetUsd()),
                settings.sessionText());
    }

    @Override
    public void close() {
        running = false;
        if (poller != null) {
            poller.interrupt();
        }
    }
}
