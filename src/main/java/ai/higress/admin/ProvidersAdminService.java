package ai.higress.admin;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import ai.higress.auth.SecretBox;
import ai.higress.config.AuthStyle;
import ai.higress.config.ConfigException;
import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderKey;
import ai.higress.config.ProviderPreset;
import ai.higress.config.Secret;
import ai.higress.error.GatewayException;
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
import ai.higress.storage.UpstreamKey;
import ai.higress.storage.UpstreamKeyRow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Upstream providers: {@code /admin/api/providers}, their keys ({@code /keys}) and their model catalog
 * ({@code /models}). A provider is created from a body shaped like a YAML provider entry and validated by the same
 * code as the configuration file. Upstream keys are sealed with the {@link SecretBox} before they are stored and are
 * never shown again: answers carry a hint only. Providers from the configuration file are read-only. Every change is
 * audited (without secrets) and applies on every replica.
 */
final class ProvidersAdminService implements HttpService {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final String ID_RULE = "1-63 lower-case letters, digits, '-' or '_', starting with a letter or digit";
    private static final String KEY_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final int MAX_MODEL_NAME = 255;
    private static final int MAX_KEY_WEIGHT = 1_000_000;
    private static final int MAX_CONTEXT_WINDOW = 100_000_000;
    /** Header names whose values are treated as credentials and shown as hints only. */
    private static final Pattern SENSITIVE_HEADER = Pattern.compile(
            "(?i).*(authorization|api[-_]?key|token|secret|password|cookie|signature).*");

    private final AdminSupport admin;
    private final ProviderRepository providers;
    private final LogicalModelRepository models;
    private final SecretBox box;
    private final SecureRandom random = new SecureRandom();

    ProvidersAdminService(AdminSupport admin, ProviderRepository providers, LogicalModelRepository models,
                          SecretBox box) {
        this.admin = admin;
        this.providers = providers;
        this.models = models;
        this.box = box;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/admin/api/providers", this::list)
                .post("/admin/api/providers", this::create)
                .get("/admin/api/providers/{id}", this::get)
                .put("/admin/api/providers/{id}", this::replace)
                .patch("/admin/api/providers/{id}", this::setStatus)
                .delete("/admin/api/providers/{id}", this::delete)
                .get("/admin/api/providers/{id}/keys", this::listKeys)
                .post("/admin/api/providers/{id}/keys", this::addKey)
                .patch("/admin/api/providers/{id}/keys/{keyId}", this::updateKey)
                .delete("/admin/api/providers/{id}/keys/{keyId}", this::deleteKey)
                .get("/admin/api/providers/{id}/models", this::catalog)
                .put("/admin/api/providers/{id}/models", this::replaceCatalog);
    }

    // ---- providers

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
        ProviderRow row = existing(req);
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
        List<ProviderModel> catalog = catalogFromBody(provider, body.raw());
        ProviderRow row = providers.upsert(EntityMapping.providerRow(provider, Source.DATABASE, Status.ACTIVE));
        providers.replaceModels(id, catalog);
        for (ProviderKey key : provider.keys()) {
            providers.addKey(EntityMapping.keyRow(newKeyId(), id, key, box));
        }
        admin.changed(principal, "create", "provider", id, summary(provider));
        AdminSupport.send(res, io.helidon.http.Status.CREATED_201, render(row, modelNames(id)));
    }

    private void replace(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        ProviderRow current = writable(req);
        String id = current.provider().id();
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        body.optionalString("id").filter(bodyId -> !bodyId.equals(id)).ifPresent(bodyId -> {
            throw AdminJson.invalid("id", "'" + id + "' (the id in the path) or nothing; ids cannot be changed");
        });
        boolean newKeys = body.raw().has("api-key") || body.raw().has("api-keys");
        List<UpstreamKeyRow> oldKeys = providers.keys(id);
        ProviderConfig provider = validate(id, body.raw(), !newKeys && !oldKeys.isEmpty());
        List<ProviderModel> catalog = catalogFromBody(provider, body.raw());
        ProviderRow row = providers.upsert(EntityMapping.providerRow(provider, Source.DATABASE,
                current.provider().status()));
        providers.replaceModels(id, catalog);
        if (newKeys) {
            // the new keys go in before the old ones go, so a failure half-way never leaves the provider keyless
            for (ProviderKey key : provider.keys()) {
                providers.addKey(EntityMapping.keyRow(newKeyId(), id, key, box));
            }
            oldKeys.forEach(old -> providers.deleteKey(old.key().id()));
        }
        ObjectNode details = summary(provider);
        details.put("keys_replaced", newKeys);
        admin.changed(principal, "update", "provider", id, details);
        AdminSupport.send(res, render(row, modelNames(id)));
    }

    private void setStatus(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        ProviderRow current = writable(req);
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        Status status = status(body);
        Provider p = current.provider();
        ProviderRow row = providers.upsert(new Provider(p.id(), p.type(), p.preset(), p.baseUrl(), p.authStyle(),
                p.pathStyle(), p.apiVersion(), p.headers(), p.capabilities(), p.maxConcurrency(), p.streamUsage(),
                p.timeouts(), status, p.source()));
        ObjectNode details = Json.object();
        details.put("status", code(status));
        admin.changed(principal, "update", "provider", p.id(), details);
        AdminSupport.send(res, render(row, modelNames(p.id())));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        ProviderRow current = writable(req);
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

    // ---- keys

    private void listKeys(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        ProviderRow row = existing(req);
        AdminSupport.send(res, AdminSupport.list(keysOf(row), node -> node));
    }

    private void addKey(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        ProviderRow provider = writable(req);
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        String secret = body.requiredString("key");
        int weight = body.optionalInt("weight", 1, MAX_KEY_WEIGHT).orElse(1);
        Status status = body.has("status") ? status(body) : Status.ACTIVE;
        String keyId = newKeyId();
        UpstreamKey sealed = EntityMapping.keyRow(keyId, provider.provider().id(),
                new ProviderKey(keyId, Secret.of(secret), weight), box);
        if (status != Status.ACTIVE) {
            sealed = withSettings(sealed, weight, status);
        }
        providers.addKey(sealed);
        ObjectNode node = renderKey(sealed);
        admin.changed(principal, "create", "provider_key", keyId, keyDetails(sealed));
        AdminSupport.send(res, io.helidon.http.Status.CREATED_201, node);
    }

    private void updateKey(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        ProviderRow provider = writable(req);
        UpstreamKey current = keyOf(req, provider);
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        int weight = body.optionalInt("weight", 1, MAX_KEY_WEIGHT).orElse(current.weight());
        Status status = body.has("status") ? status(body) : current.status();
        UpstreamKey updated = withSettings(current, weight, status);
        if (status != Status.ACTIVE) {
            requireAnotherActiveKey(provider, current.id(), "disable");
        }
        if (!providers.updateKey(updated)) {
            throw AdminSupport.notFound("key", current.id());
        }
        admin.changed(principal, "update", "provider_key", current.id(), keyDetails(updated));
        AdminSupport.send(res, renderKey(updated));
    }

    private void deleteKey(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        ProviderRow provider = writable(req);
        UpstreamKey current = keyOf(req, provider);
        requireAnotherActiveKey(provider, current.id(), "delete");
        if (!providers.deleteKey(current.id())) {
            throw AdminSupport.notFound("key", current.id());
        }
        ObjectNode details = Json.object();
        details.put("provider", current.providerId());
        admin.changed(principal, "delete", "provider_key", current.id(), details);
        res.status(io.helidon.http.Status.NO_CONTENT_204).send();
    }

    // ---- catalog

    private void catalog(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        ProviderRow row = existing(req);
        AdminSupport.send(res, AdminSupport.list(providers.models(row.provider().id()),
                ProvidersAdminService::renderModel));
    }

    private void replaceCatalog(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        ProviderRow provider = writable(req);
        String id = provider.provider().id();
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        String field = body.raw().has("models") ? "models" : "data";
        JsonNode items = body.raw().get(field);
        if (items == null || !items.isArray()) {
            throw GatewayException.invalidRequest("Missing required field 'models': the whole catalog, an array of "
                    + "{model, tools, vision, json_mode, streaming, reasoning, context_window, input_price_per_mtok, "
                    + "output_price_per_mtok, cached_price_per_mtok}.", "models", "missing_required_parameter");
        }
        JsonNode defaults = provider.provider().capabilities();
        List<ProviderModel> catalog = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            ProviderModel model = catalogRow(id, items.get(i), field + "." + i, defaults);
            if (!seen.add(model.model())) {
                throw AdminJson.invalid(field + "." + i + ".model", "a model not listed before ('" + model.model()
                        + "' is)");
            }
            catalog.add(model);
        }
        providers.replaceModels(id, catalog);
        ObjectNode details = Json.object();
        ArrayNode names = details.putArray("models");
        catalog.forEach(model -> names.add(model.model()));
        admin.changed(principal, "update", "provider_model", id, details);
        AdminSupport.send(res, AdminSupport.list(providers.models(id), ProvidersAdminService::renderModel));
    }

    private static ProviderModel catalogRow(String providerId, JsonNode item, String path, JsonNode defaults) {
        if (item == null || !item.isObject()) {
            throw AdminJson.invalid(path, "an object with at least 'model'");
        }
        JsonNode name = item.get("model");
        if (name == null || !name.isTextual() || name.asText().isBlank() || name.asText().length() > MAX_MODEL_NAME) {
            throw AdminJson.invalid(path + ".model", "a non-empty string of at most " + MAX_MODEL_NAME + " characters");
        }
        Optional<Integer> contextWindow = Optional.empty();
        JsonNode window = item.get("context_window");
        if (window != null && !window.isNull()) {
            if (!window.canConvertToExactIntegral() || window.asLong() < 1 || window.asLong() > MAX_CONTEXT_WINDOW) {
                throw AdminJson.invalid(path + ".context_window", "an integer between 1 and " + MAX_CONTEXT_WINDOW);
            }
            contextWindow = Optional.of(window.asInt());
        }
        BigDecimal input = price(item, "input_price_per_mtok", path, BigDecimal.ZERO);
        return new ProviderModel(providerId, name.asText().strip(),
                flag(item, "tools", path, defaults.path("tools").asBoolean(true)),
                flag(item, "vision", path, defaults.path("vision").asBoolean(true)),
                flag(item, "json_mode", path, defaults.path("json_mode").asBoolean(true)),
                flag(item, "streaming", path, defaults.path("streaming").asBoolean(true)),
                flag(item, "reasoning", path, false), contextWindow, input,
                price(item, "output_price_per_mtok", path, BigDecimal.ZERO),
                price(item, "cached_price_per_mtok", path, input));
    }

    private static boolean flag(JsonNode item, String field, String path, boolean defaultValue) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw AdminJson.invalid(path + "." + field, "a boolean");
        }
        return value.asBoolean();
    }

    private static BigDecimal price(JsonNode item, String field, String path, BigDecimal defaultValue) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isNumber() || value.decimalValue().signum() < 0) {
            throw AdminJson.invalid(path + "." + field, "a non-negative number of US dollars per million tokens");
        }
        return value.decimalValue();
    }

    // ---- validation and mapping

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
        try {
            return ProviderConfig.create(id, AdminJson.config(entry),
                    admin.controlPlane().fileConfig().timeouts());
        } catch (ConfigException e) {
            throw AdminJson.invalidConfig(e, "providers." + id + ".", "id");
        } catch (io.helidon.config.ConfigException e) {
            throw GatewayException.invalidRequest("The request body cannot be read as a provider entry: "
                    + e.getMessage(), null);
        }
    }

    /** The catalog rows of a new or replaced provider, with what only the admin API stores (reasoning, window). */
    private static List<ProviderModel> catalogFromBody(ProviderConfig provider, ObjectNode body) {
        Map<String, JsonNode> items = new LinkedHashMap<>();
        JsonNode listed = body.path("models");
        for (int i = 0; i < listed.size(); i++) {
            JsonNode item = listed.get(i);
            if (item.isObject() && item.path("name").isTextual()) {
                if (items.put(item.path("name").asText().strip(), item) != null) {
                    throw AdminJson.invalid("models." + i + ".name", "a model not listed before");
                }
                if (item.has("reasoning") && !item.get("reasoning").isBoolean()) {
                    throw AdminJson.invalid("models." + i + ".reasoning", "a boolean");
                }
                JsonNode window = item.get("context-window");
                if (window != null && (!window.canConvertToExactIntegral() || window.asLong() < 1
                        || window.asLong() > MAX_CONTEXT_WINDOW)) {
                    throw AdminJson.invalid("models." + i + ".context-window", "an integer between 1 and "
                            + MAX_CONTEXT_WINDOW);
                }
            } else if (item.isTextual() && items.put(item.asText().strip(), item) != null) {
                throw AdminJson.invalid("models." + i, "a model not listed before");
            }
        }
        List<ProviderModel> rows = new ArrayList<>();
        for (ProviderModel row : EntityMapping.modelRows(provider)) {
            JsonNode item = items.get(row.model());
            if (row.model().length() > MAX_MODEL_NAME) {
                throw AdminJson.invalid("models", "model names of at most " + MAX_MODEL_NAME + " characters");
            }
            if (item != null && item.isObject()) {
                JsonNode window = item.get("context-window");
                row = new ProviderModel(row.providerId(), row.model(), row.tools(), row.vision(), row.jsonMode(),
                        row.streaming(), item.path("reasoning").asBoolean(false),
                        window == null ? Optional.empty() : Optional.of(window.asInt()), row.inputPricePerMtok(),
                        row.outputPricePerMtok(), row.cachedPricePerMtok());
            }
            rows.add(row);
        }
        return rows;
    }

    private ProviderRow existing(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        return providers.get(id).orElseThrow(() -> AdminSupport.notFound("provider", id));
    }

    /** The provider named in the path, which must exist and be managed through the API. */
    private ProviderRow writable(ServerRequest req) {
        ProviderRow row = existing(req);
        if (row.provider().source() == Source.CONFIG) {
            throw AdminSupport.conflict("Provider '" + row.provider().id() + "' is managed in the configuration "
                    + "file and is read-only through the admin API; change it in the configuration file.");
        }
        return row;
    }

    private UpstreamKey keyOf(ServerRequest req, ProviderRow provider) {
        String keyId = req.path().pathParameters().get("keyId");
        return providers.getKey(keyId).map(UpstreamKeyRow::key)
                .filter(key -> key.providerId().equals(provider.provider().id()))
                .orElseThrow(() -> AdminSupport.notFound("key", keyId));
    }

    /**
     * Refuses to take away the last active key of a provider whose preset needs one: without a key the gateway would
     * call the vendor without credentials (the same rule as {@code api-key} on creation).
     */
    private void requireAnotherActiveKey(ProviderRow row, String keyId, String action) {
        Provider p = row.provider();
        boolean needsKey = EntityMapping.enumValue(ProviderPreset.class, p.preset()).apiKeyRequired()
                && EntityMapping.enumValue(AuthStyle.class, p.authStyle()) != AuthStyle.NONE;
        boolean another = providers.keys(p.id()).stream().map(UpstreamKeyRow::key)
                .anyMatch(key -> key.status() == Status.ACTIVE && !key.id().equals(keyId));
        if (needsKey && !another) {
            throw AdminSupport.conflict("Cannot " + action + " the last active key of provider '" + p.id()
                    + "': preset " + p.preset() + " needs one. Add another key first, or disable the provider.");
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

    private String newKeyId() {
        StringBuilder id = new StringBuilder("pk_");
        for (int i = 0; i < 24; i++) {
            id.append(KEY_ALPHABET.charAt(random.nextInt(KEY_ALPHABET.length())));
        }
        return id.toString();
    }

    private static UpstreamKey withSettings(UpstreamKey key, int weight, Status status) {
        return new UpstreamKey(key.id(), key.providerId(), key.ciphertext(), key.hint(), weight, status);
    }

    private static Status status(AdminJson body) {
        String status = body.requiredString("status").toLowerCase(Locale.ROOT);
        return switch (status) {
            case "active" -> Status.ACTIVE;
            case "disabled" -> Status.DISABLED;
            default -> throw AdminJson.invalid("status", "'active' or 'disabled'");
        };
    }

    private static String code(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
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
        node.put("status", code(p.status()));
        node.put("source", code(p.source()));
        node.put("routable", admin.controlPlane().effective().providers().containsKey(p.id()));
        ArrayNode keys = node.putArray("keys");
        keysOf(row).forEach(keys::add);
        node.put("created_at", row.createdAt().toString());
        node.put("updated_at", row.updatedAt().toString());
        return node;
    }

    /** The provider's keys as {id, hint, weight, status}; a configuration file's keys come from memory. */
    private List<ObjectNode> keysOf(ProviderRow row) {
        List<ObjectNode> keys = new ArrayList<>();
        if (row.provider().source() == Source.CONFIG) {
            ProviderConfig file = admin.controlPlane().fileConfig().providers().get(row.provider().id());
            if (file != null) {
                for (ProviderKey key : file.keys()) {
                    ObjectNode node = Json.object();
                    node.put("id", key.id());
                    node.put("hint", key.secret().hint());
                    node.put("weight", key.weight());
                    node.put("status", "active");
                    keys.add(node);
                }
            }
            return keys;
        }
        providers.keys(row.provider().id()).forEach(key -> keys.add(renderKey(key.key())));
        return keys;
    }

    private static ObjectNode renderKey(UpstreamKey key) {
        ObjectNode node = Json.object();
        node.put("id", key.id());
        node.put("hint", key.hint());
        node.put("weight", key.weight());
        node.put("status", code(key.status()));
        return node;
    }

    static ObjectNode renderModel(ProviderModel model) {
        ObjectNode node = Json.object();
        node.put("model", model.model());
        node.put("tools", model.tools());
        node.put("vision", model.vision());
        node.put("json_mode", model.jsonMode());
        node.put("streaming", model.streaming());
        node.put("reasoning", model.reasoning());
        model.contextWindow().ifPresentOrElse(window -> node.put("context_window", window),
                () -> node.putNull("context_window"));
        node.put("input_price_per_mtok", AdminJson.money(model.inputPricePerMtok()));
        node.put("output_price_per_mtok", AdminJson.money(model.outputPricePerMtok()));
        node.put("cached_price_per_mtok", AdminJson.money(model.cachedPricePerMtok()));
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

    private static ObjectNode keyDetails(UpstreamKey key) {
        ObjectNode node = Json.object();
        node.put("provider", key.providerId());
        node.put("hint", key.hint());
        node.put("weight", key.weight());
        node.put("status", code(key.status()));
        return node;
    }
}
