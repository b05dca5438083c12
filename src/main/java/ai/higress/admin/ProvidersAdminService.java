package ai.higress.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderKey;
import ai.higress.config.Secret;
import ai.higress.schema.Json;
import ai.higress.storage.LogicalModelRepository;
import ai.higress.storage.LogicalModelRow;
import ai.higress.storage.ModelTarget;
import ai.higress.storage.Provider;
import ai.higress.storage.ProviderModel;
import ai.higress.storage.ProviderRepository;
import ai.higress.storage.ProviderRow;
import ai.higress.storage.Source;
import ai.higress.storage.Status;
import ai.higress.storage.UpstreamKeyRow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Upstream providers: {@code /admin/api/providers} (their keys and model catalog have services of their own,
 * {@link ProviderKeysAdminService} and {@link ProviderCatalogAdminService}). A provider is created from a body shaped
 * like a YAML provider entry and validated by the same code as the configuration file. Upstream keys are sealed before
 * they are stored and are never shown again: answers carry a hint only. Providers from the configuration file are
 * read-only. Every change is audited (without secrets) and applies on every replica.
 */
final class ProvidersAdminService implements HttpService {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final String ID_RULE = "1-63 lower-case letters, digits, '-' or '_', starting with a letter or digit";
    /** Header names whose values are treated as credentials and shown as hints only. */
    private static final Pattern SENSITIVE_HEADER = Pattern.compile(
            "(?i).*(authorization|api[-_]?key|token|secret|password|cookie|signature).*");

    private final AdminSupport admin;
    private final ProviderRepository providers;
    private final LogicalModelRepository models;
    private final ProviderAccess access;

    ProvidersAdminService(AdminSupport admin, ProviderRepository providers, LogicalModelRepository models,
                          ProviderAccess access) {
        this.admin = admin;
        this.providers = providers;
        this.models = models;
        this.access = access;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/admin/api/providers", this::list)
                .post("/admin/api/providers", this::create)
                .get("/admin/api/providers/{id}", this::get)
                .put("/admin/api/providers/{id}", this::replace)
                .patch("/admin/api/providers/{id}", this::setStatus)
                .delete("/admin/api/providers/{id}", this::delete);
    }

    private void list(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        Map<String, List<String>> names = new LinkedHashMap<>();
        providers.allModels().forEach(model -> names.computeIfAbsent(model.providerId(), id -> new ArrayList<>())
                .add(model.model()));
        AdminSupport.send(res, AdminSupport.list(providers.list(),
                row -> render(row, names.getOrDefault(row.provider().id(), List.of()))));
    }

    private void get(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        ProviderRow row = access.existing(req);
        AdminSupport.send(res, render(row, modelNames(row.provider().id())));
    }

    private void create(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        String id = body.requiredString("id");
        if (!ID.matcher(id).matches()) {
            throw AdminJson.invalid("id", ID_RULE);
        }
        if (providers.get(id).isPresent()) {
            throw AdminSupport.conflict("A provider '" + id + "' already exists.");
        }
        ProviderConfig provider = validate(id, body.raw(), false);
        List<ProviderModel> catalog = ProviderCatalogAdminService.fromProviderBody(provider, body.raw());
        ProviderRow row = providers.upsert(EntityMapping.providerRow(provider, Source.DATABASE, Status.ACTIVE));
        providers.replaceModels(id, catalog);
        addKeys(provider);
        admin.changed(principal, "create", "provider", id, summary(provider));
        AdminSupport.send(res, io.helidon.http.Status.CREATED_201, render(row, modelNames(id)));
    }

    private void replace(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        ProviderRow current = access.writable(req);
        String id = current.provider().id();
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        body.optionalString("id").filter(bodyId -> !bodyId.equals(id)).ifPresent(bodyId -> {
            throw AdminJson.invalid("id", "'" + id + "' (the id in the path) or nothing; ids cannot be changed");
        });
        boolean newKeys = body.raw().has("api-key") || body.raw().has("api-keys");
        List<UpstreamKeyRow> oldKeys = providers.keys(id);
        ProviderConfig provider = validate(id, body.raw(), !newKeys && !oldKeys.isEmpty());
        List<ProviderModel> catalog = ProviderCatalogAdminService.fromProviderBody(provider, body.raw());
        ProviderRow row = providers.upsert(EntityMapping.providerRow(provider, Source.DATABASE,
                current.provider().status()));
        providers.replaceModels(id, catalog);
        if (newKeys) {
            // the new keys go in before the old ones go, so a failure half-way never leaves the provider keyless
            addKeys(provider);
            oldKeys.forEach(old -> providers.deleteKey(old.key().id()));
        }
        ObjectNode details = summary(provider);
        details.put("keys_replaced", newKeys);
        admin.changed(principal, "update", "provider", id, details);
        AdminSupport.send(res, render(row, modelNames(id)));
    }

    private void setStatus(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        ProviderRow current = access.writable(req);
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        Status status = ProviderAccess.status(body);
        Provider p = current.provider();
        ProviderRow row = providers.upsert(new Provider(p.id(), p.type(), p.preset(), p.baseUrl(), p.authStyle(),
                p.pathStyle(), p.apiVersion(), p.headers(), p.capabilities(), p.maxConcurrency(), p.streamUsage(),
                p.timeouts(), p.defaultMaxTokens(), status, p.source()));
        ObjectNode details = Json.object();
        details.put("status", ProviderAccess.code(status));
        admin.changed(principal, "update", "provider", p.id(), details);
        AdminSupport.send(res, render(row, modelNames(p.id())));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        ProviderRow current = access.writable(req);
        String id = current.provider().id();
        boolean force = req.query().first("force").map(Boolean::parseBoolean).orElse(false);
        List<String> users = targetedBy(id);
        if (!users.isEmpty() && !force) {
            throw AdminSupport.conflict("Provider '" + id + "' is still a target of logical model(s) "
                    + String.join(", ", users) + "; change those models first, or delete with ?force=true (their "
                    + "targets on this provider are removed with it).");
        }
        if (!providers.delete(id)) {
            throw AdminSupport.notFound("provider", id);
        }
        ObjectNode details = Json.object();
        details.put("force", force);
        ArrayNode affected = details.putArray("models_losing_targets");
        users.forEach(affected::add);
        admin.changed(principal, "delete", "provider", id, details);
        res.status(io.helidon.http.Status.NO_CONTENT_204).send();
    }

    /**
     * The provider {@code body} describes, validated like a configuration file entry. With {@code keepKeys} the body
     * may leave out its keys even when the preset needs one (the stored keys stay).
     */
    private ProviderConfig validate(String id, ObjectNode body, boolean keepKeys) {
        ObjectNode entry = body.deepCopy();
        entry.remove("id");
        if (keepKeys) {
            entry.put("api-key", "stored-keys-are-kept");
        }
        return AdminJson.readEntry(entry, "provider", "providers." + id + ".", "id",
                config -> ProviderConfig.create(id, config, admin.controlPlane().fileConfig().timeouts()));
    }

    /** Stores the keys of {@code provider}, each sealed under a new id. */
    private void addKeys(ProviderConfig provider) {
        for (ProviderKey key : provider.keys()) {
            providers.addKey(access.seal(provider.id(), key));
        }
    }

    private List<String> targetedBy(String providerId) {
        List<String> names = new ArrayList<>();
        for (LogicalModelRow row : models.list()) {
            for (ModelTarget target : row.model().targets()) {
                if (target.providerId().equals(providerId)) {
                    names.add(row.model().name());
                    break;
                }
            }
        }
        return names;
    }

    private List<String> modelNames(String providerId) {
        return providers.models(providerId).stream().map(ProviderModel::model).toList();
    }

    // ---- rendering (never a secret)

    private ObjectNode render(ProviderRow row, List<String> modelNames) {
        Provider p = row.provider();
        ObjectNode node = Json.object();
        node.put("id", p.id());
        node.put("object", "provider");
        node.put("type", p.type());
        node.put("preset", p.preset());
        node.put("base_url", p.baseUrl());
        node.put("auth_style", p.authStyle());
        node.put("path_style", p.pathStyle());
        node.put("api_version", p.apiVersion());
        ObjectNode headers = node.putObject("headers");
        new java.util.TreeMap<>(p.headers()).forEach((name, value) -> headers.put(name,
                SENSITIVE_HEADER.matcher(name).matches() ? Secret.of(value).hint() : value));
        node.set("capabilities", p.capabilities().deepCopy());
        ArrayNode names = node.putArray("models");
        modelNames.forEach(names::add);
        node.put("max_concurrency", p.maxConcurrency());
        node.put("stream_usage", p.streamUsage());
        node.set("timeouts", p.timeouts().deepCopy());
        node.put("default_max_tokens", p.defaultMaxTokens());
        node.put("status", ProviderAccess.code(p.status()));
        node.put("source", ProviderAccess.code(p.source()));
        node.put("routable", admin.controlPlane().effective().providers().containsKey(p.id()));
        ArrayNode keys = node.putArray("keys");
        access.keysOf(row).forEach(keys::add);
        node.put("created_at", row.createdAt().toString());
        node.put("updated_at", row.updatedAt().toString());
        return node;
    }

    private static ObjectNode summary(ProviderConfig provider) {
        ObjectNode node = Json.object();
        node.put("type", EntityMapping.name(provider.type()));
        node.put("preset", provider.preset().configName());
        node.put("base_url", provider.baseUrl().toString());
        ArrayNode names = node.putArray("models");
        provider.models().forEach(names::add);
        node.put("keys", provider.keys().size());
        return node;
    }
}
