package ai.higress.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import ai.higress.auth.SecretBox;
import ai.higress.config.ConfigException;
import ai.higress.config.GatewayConfig;
import ai.higress.config.ModelConfig;
import ai.higress.config.ProviderConfig;
import ai.higress.schema.Json;
import ai.higress.storage.LogicalModel;
import ai.higress.storage.LogicalModelRepository;
import ai.higress.storage.LogicalModelRow;
import ai.higress.storage.ModelTarget;
import ai.higress.storage.ProviderRepository;
import ai.higress.storage.ProviderRow;
import ai.higress.storage.Source;
import ai.higress.storage.Status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Logical models: {@code /admin/api/models}. A model is created from a body shaped like a YAML model entry, validated
 * by the same code as the configuration file and then against the configuration in force (its providers and fallbacks
 * must exist, fallbacks must not form a cycle). Models from the configuration file are read-only. Every change is
 * audited and applies on every replica.
 */
final class ModelsAdminService implements HttpService {
    /** What clients can send as {@code model}: no white space or control characters. */
    private static final Pattern NAME = Pattern.compile("[^\\s\\p{Cntrl}]{1,255}");

    private final AdminSupport admin;
    private final LogicalModelRepository models;
    private final ProviderRepository providers;
    private final SecretBox box;

    ModelsAdminService(AdminSupport admin, LogicalModelRepository models, ProviderRepository providers,
                       SecretBox box) {
        this.admin = admin;
        this.models = models;
        this.providers = providers;
        this.box = box;
    }

    /** {@code {+name}}: a model name may contain slashes ({@code team/gpt-4.1}), sent raw or as {@code %2F}. */
    @Override
    public void routing(HttpRules rules) {
        rules.get("/admin/api/models", this::list)
                .post("/admin/api/models", this::create)
                .get("/admin/api/models/{+name}", this::get)
                .put("/admin/api/models/{+name}", this::replace)
                .delete("/admin/api/models/{+name}", this::delete);
    }

    private void list(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        AdminSupport.send(res, AdminSupport.list(models.list(), this::render));
    }

    private void get(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        AdminSupport.send(res, render(existing(req)));
    }

    private void create(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        String name = body.requiredString("name");
        if (!NAME.matcher(name).matches()) {
            throw AdminJson.invalid("name", "1-255 characters without white space");
        }
        if (models.get(name).isPresent()) {
            throw AdminSupport.conflict("A logical model '" + name + "' already exists.");
        }
        ModelConfig model = validate(name, body.raw());
        LogicalModelRow row = models.upsert(EntityMapping.modelRow(model, Source.DATABASE));
        admin.changed(principal, "create", "logical_model", name, summary(model));
        AdminSupport.send(res, io.helidon.http.Status.CREATED_201, render(row));
    }

    private void replace(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        LogicalModelRow current = writable(req);
        String name = current.model().name();
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        body.optionalString("name").filter(bodyName -> !bodyName.equals(name)).ifPresent(bodyName -> {
            throw AdminJson.invalid("name", "'" + name + "' (the name in the path) or nothing; names cannot be "
                    + "changed");
        });
        ModelConfig model = validate(name, body.raw());
        LogicalModelRow row = models.upsert(EntityMapping.modelRow(model, Source.DATABASE));
        admin.changed(principal, "update", "logical_model", name, summary(model));
        AdminSupport.send(res, render(row));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        String name = writable(req).model().name();
        List<String> users = new ArrayList<>();
        for (LogicalModelRow row : models.list()) {
            if (row.model().fallbacks().contains(name) && !row.model().name().equals(name)) {
                users.add(row.model().name());
            }
        }
        if (!users.isEmpty()) {
            throw AdminSupport.conflict("Logical model '" + name + "' is a fallback of " + String.join(", ", users)
                    + "; remove it from their fallbacks first.");
        }
        if (!models.delete(name)) {
            throw AdminSupport.notFound("logical model", name);
        }
        admin.changed(principal, "delete", "logical_model", name, Json.object());
        res.status(io.helidon.http.Status.NO_CONTENT_204).send();
    }

    /**
     * The model {@code body} describes, validated like a configuration file entry and then against the configuration
     * in force with this model added or replaced.
     */
    private ModelConfig validate(String name, ObjectNode body) {
        ObjectNode entry = body.deepCopy();
        entry.remove("name");
        String prefix = "models." + name + ".";
        ModelConfig model = AdminJson.readEntry(entry, "model", prefix, "name",
                config -> ModelConfig.create(name, config));
        try {
            withKnownProviders(admin.controlPlane().effective()).withModel(model);
        } catch (ConfigException e) {
            // a cycle may be reported at another model on it; it is still this model's fallbacks that closed it
            throw e.key().startsWith(prefix) ? AdminJson.invalidConfig(e, prefix, "name")
                    : AdminJson.invalidParam("fallbacks", e.problem());
        }
        return model;
    }

    /**
     * The configuration in force plus disabled providers: a model may target a provider that is switched off for now
     * (the target is skipped until it is switched on again).
     */
    private GatewayConfig withKnownProviders(GatewayConfig effective) {
        Map<String, ProviderConfig> known = new LinkedHashMap<>(effective.providers());
        for (ProviderRow row : providers.list()) {
            String id = row.provider().id();
            if (!known.containsKey(id) && row.provider().status() == Status.DISABLED) {
                try {
                    known.put(id, EntityMapping.providerConfig(row.provider(), List.of(), providers.models(id), box,
                            effective.timeouts()));
                } catch (RuntimeException e) {
                    // an unreadable row stays unknown
                }
            }
        }
        return known.size() == effective.providers().size() ? effective
                : effective.withEntities(known, effective.models());
    }

    private LogicalModelRow existing(ServerRequest req) {
        String name = req.path().pathParameters().get("name");
        return models.get(name).orElseThrow(() -> AdminSupport.notFound("logical model", name));
    }

    private LogicalModelRow writable(ServerRequest req) {
        LogicalModelRow row = existing(req);
        if (row.model().source() == Source.CONFIG) {
            throw AdminSupport.readOnly("Logical model '" + row.model().name() + "'");
        }
        return row;
    }

    private ObjectNode render(LogicalModelRow row) {
        LogicalModel model = row.model();
        ObjectNode node = Json.object();
        node.put("name", model.name());
        node.put("object", "logical_model");
        node.put("strategy", model.strategy());
        ArrayNode targets = node.putArray("targets");
        for (ModelTarget target : model.targets()) {
            ObjectNode item = targets.addObject();
            item.put("provider", target.providerId());
            item.put("model", target.upstreamModel());
            item.put("weight", target.weight());
            item.put("priority", target.priority());
        }
        ArrayNode fallbacks = node.putArray("fallbacks");
        model.fallbacks().forEach(fallbacks::add);
        node.set("hedge", model.hedge().deepCopy());
        node.put("source", model.source().name().toLowerCase(Locale.ROOT));
        node.put("routable", admin.controlPlane().effective().models().containsKey(model.name()));
        node.put("created_at", row.createdAt().toString());
        node.put("updated_at", row.updatedAt().toString());
        return node;
    }

    private static ObjectNode summary(ModelConfig model) {
        ObjectNode node = Json.object();
        node.put("strategy", EntityMapping.name(model.strategy()));
        ArrayNode targets = node.putArray("targets");
        model.targets().forEach(target -> targets.add(target.provider() + "/" + target.model()));
        ArrayNode fallbacks = node.putArray("fallbacks");
        model.fallbacks().forEach(fallbacks::add);
        node.put("hedge", model.hedge().enabled());
        return node;
    }
}
