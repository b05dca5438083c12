package ai.higress.admin;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import ai.higress.config.ProviderConfig;
import ai.higress.error.GatewayException;
import ai.higress.schema.Json;
import ai.higress.storage.ProviderModel;
import ai.higress.storage.ProviderRepository;
import ai.higress.storage.ProviderRow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A provider's model catalog: {@code /admin/api/providers/{id}/models}, each model with its capabilities, context
 * window and prices. {@code PUT} replaces the whole catalog; catalogs of providers from the configuration file are
 * read-only. Every change is audited and applies on every replica. Also reads the catalog of a provider body
 * ({@link #fromProviderBody}), which carries what only the admin API stores.
 */
final class ProviderCatalogAdminService implements HttpService {
    private static final int MAX_MODEL_NAME = 255;
    private static final int MAX_CONTEXT_WINDOW = ai.higress.config.ModelCapabilities.MAX_CONTEXT_WINDOW;

    private final AdminSupport admin;
    private final ProviderRepository providers;
    private final ProviderAccess access;

    ProviderCatalogAdminService(AdminSupport admin, ProviderRepository providers, ProviderAccess access) {
        this.admin = admin;
        this.providers = providers;
        this.access = access;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/admin/api/providers/{id}/models", this::catalog)
                .put("/admin/api/providers/{id}/models", this::replace);
    }

    private void catalog(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        ProviderRow row = access.existing(req);
        AdminSupport.send(res, AdminSupport.list(providers.models(row.provider().id()),
                ProviderCatalogAdminService::render));
    }

    private void replace(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        ProviderRow provider = access.writable(req);
        String id = provider.provider().id();
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        List<ProviderModel> catalog = catalog(id, body, provider.provider().capabilities());
        providers.replaceModels(id, catalog);
        ObjectNode details = Json.object();
        ArrayNode names = details.putArray("models");
        catalog.forEach(model -> names.add(model.model()));
        admin.changed(principal, "update", "provider_model", id, details);
        AdminSupport.send(res, AdminSupport.list(providers.models(id), ProviderCatalogAdminService::render));
    }

    /** The whole catalog in a {@code PUT} body ({@code models}, or {@code data} as a listing has it). */
    private static List<ProviderModel> catalog(String providerId, AdminJson body, JsonNode defaults) {
        String field = body.raw().has("models") ? "models" : "data";
        JsonNode items = body.raw().get(field);
        if (items == null || !items.isArray()) {
            throw GatewayException.invalidRequest("Missing required field 'models': the whole catalog, an array of "
                    + "{model, tools, vision, json_mode, streaming, reasoning, embeddings, context_window, "
                    + "input_price_per_mtok, output_price_per_mtok, cached_price_per_mtok}.", "models",
                    "missing_required_parameter");
        }
        List<ProviderModel> catalog = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            ProviderModel model = catalogRow(providerId, items.get(i), field + "." + i, defaults);
            if (!seen.add(model.model())) {
                throw AdminJson.invalid(field + "." + i + ".model", "a model not listed before ('" + model.model()
                        + "' is)");
            }
            catalog.add(model);
        }
        return catalog;
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
                flag(item, "reasoning", path, defaults.path("reasoning").asBoolean(true)),
                flag(item, "embeddings", path, defaults.path("embeddings").asBoolean(false)), contextWindow, input,
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

    /**
     * The catalog rows of a new or replaced provider ({@code provider}, read from {@code body}): every capability,
     * {@code reasoning}, {@code embeddings} and {@code context-window} included, comes from the validated
     * configuration.
     */
    static List<ProviderModel> fromProviderBody(ProviderConfig provider, ObjectNode body) {
        checkListedOnce(body.path("models"));
        List<ProviderModel> rows = EntityMapping.modelRows(provider);
        for (ProviderModel row : rows) {
            if (row.model().length() > MAX_MODEL_NAME) {
                throw AdminJson.invalid("models", "model names of at most " + MAX_MODEL_NAME + " characters");
            }
        }
        return rows;
    }

    private static void checkListedOnce(JsonNode listed) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < listed.size(); i++) {
            JsonNode item = listed.get(i);
            String name = item.isTextual() ? item.asText() : item.path("name").asText("");
            if (!name.isBlank() && !names.add(name.strip())) {
                throw AdminJson.invalid(item.isTextual() ? "models." + i : "models." + i + ".name",
                        "a model not listed before");
            }
        }
    }

    private static ObjectNode render(ProviderModel model) {
        ObjectNode node = Json.object();
        node.put("model", model.model());
        node.put("tools", model.tools());
        node.put("vision", model.vision());
        node.put("json_mode", model.jsonMode());
        node.put("streaming", model.streaming());
        node.put("reasoning", model.reasoning());
        node.put("embeddings", model.embeddings());
        model.contextWindow().ifPresentOrElse(window -> node.put("context_window", window),
                () -> node.putNull("context_window"));
        node.put("input_price_per_mtok", AdminJson.money(model.inputPricePerMtok()));
        node.put("output_price_per_mtok", AdminJson.money(model.outputPricePerMtok()));
        node.put("cached_price_per_mtok", AdminJson.money(model.cachedPricePerMtok()));
        return node;
    }
}
