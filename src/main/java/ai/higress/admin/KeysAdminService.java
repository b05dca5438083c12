package ai.higress.admin;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.higress.auth.KeyHasher;
import ai.higress.auth.SpendLedger;
import ai.higress.config.SessionText;
import ai.higress.schema.Json;
import ai.higress.storage.ApiKeyFilter;
import ai.higress.storage.ApiKeyRepository;
import ai.higress.storage.ApiKeyRow;
import ai.higress.storage.ApiKeySettings;
import ai.higress.storage.Page;
import ai.higress.storage.RequestLogRepository;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Client API keys: {@code /admin/api/keys}. A new key's secret is returned once, in the 201 answer to its creation;
 * afterwards only its display prefix is shown. Every change is audited and applies on every replica.
 *
 * <p>{@code spent_usd} is the larger of the request log's total for the key and what this replica has charged to it
 * (which includes requests not yet flushed to the log). The request log's totals are read for the keys shown, so a key
 * without a budget (whose spend the control plane does not load) shows its whole spend after a restart and on every
 * replica; the totals read also refresh the budget ledger.
 */
final class KeysAdminService implements HttpService {
    private static final int MAX_NAME = 255;

    private final AdminSupport admin;
    private final ApiKeyRepository keys;
    private final KeyHasher hasher;
    private final SpendLedger spend;
    private final RequestLogRepository requests;

    KeysAdminService(AdminSupport admin, ApiKeyRepository keys, KeyHasher hasher, SpendLedger spend,
                     RequestLogRepository requests) {
        this.admin = admin;
        this.keys = keys;
        this.hasher = hasher;
        this.spend = spend;
        this.requests = requests;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/admin/api/keys", this::list)
                .post("/admin/api/keys", this::create)
                .get("/admin/api/keys/{id}", this::get)
                .patch("/admin/api/keys/{id}", this::update)
                .delete("/admin/api/keys/{id}", this::delete);
    }

    private void list(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        ApiKeyFilter filter = ApiKeyFilter.ALL;
        Optional<String> name = req.query().first("name").filter(text -> !text.isBlank());
        Optional<String> owner = req.query().first("owner").filter(text -> !text.isBlank());
        Optional<String> disabled = req.query().first("disabled").filter(text -> !text.isBlank());
        if (name.isPresent()) {
            filter = filter.withNameContaining(name.get());
        }
        if (owner.isPresent()) {
            filter = filter.withOwner(owner.get());
        }
        if (disabled.isPresent()) {
            filter = filter.withDisabled(Boolean.parseBoolean(disabled.get()));
        }
        Page<ApiKeyRow> page = keys.list(filter, AdminSupport.page(req));
        refreshSpend(page.items());
        AdminSupport.send(res, AdminSupport.page(page, this::render));
    }

    private void create(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        String name = body.requiredString("name");
        if (name.length() > MAX_NAME) {
            throw AdminJson.invalid("name", "at most " + MAX_NAME + " characters");
        }
        ApiKeySettings settings = apply(body, ApiKeySettings.named(name));
        String secret = hasher.newKey();
        String id = "key_" + hasher.newKey().substring(KeyHasher.PREFIX.length(), KeyHasher.PREFIX.length() + 20);
        ApiKeyRow row = keys.insert(id, hasher.hash(secret), KeyHasher.displayPrefix(secret), settings);
        admin.changed(principal, "create", "api_key", id, summary(settings));
        ObjectNode created = render(row);
        created.put("key", secret);
        AdminSupport.send(res, Status.CREATED_201, created);
    }

    private void get(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        String id = req.path().pathParameters().get("id");
        ApiKeyRow row = keys.get(id).orElseThrow(() -> AdminSupport.notFound("API key", id));
        refreshSpend(List.of(row));
        AdminSupport.send(res, render(row));
    }

    private void update(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        String id = req.path().pathParameters().get("id");
        ApiKeyRow current = keys.get(id).orElseThrow(() -> AdminSupport.notFound("API key", id));
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        ApiKeySettings settings = apply(body, current.settings());
        ApiKeyRow updated = keys.update(id, settings).orElseThrow(() -> AdminSupport.notFound("API key", id));
        admin.changed(principal, "update", "api_key", id, summary(settings));
        refreshSpend(List.of(updated));
        AdminSupport.send(res, render(updated));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        String id = req.path().pathParameters().get("id");
        if (!keys.delete(id)) {
            throw AdminSupport.notFound("API key", id);
        }
        admin.changed(principal, "delete", "api_key", id, Json.object());
        res.status(Status.NO_CONTENT_204).send();
    }

    /** Raises the ledger's spend of {@code rows} to the request log's totals where those are higher. */
    private void refreshSpend(List<ApiKeyRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Map<String, BigDecimal> logged = requests.spentUsd(rows.stream().map(ApiKeyRow::id).toList());
        logged.forEach(spend::set);
    }

    /** The settings in {@code body} over {@code base}; JSON null clears an optional setting. */
    private static ApiKeySettings apply(AdminJson body, ApiKeySettings base) {
        ApiKeySettings settings = base;
        if (body.has("name")) {
            settings = settings.withName(body.requiredString("name"));
        }
        if (body.raw().has("session_text")) {
            String text = body.optionalString("session_text").orElse(SessionText.DEFAULT.tag());
            settings = settings.withSessionText(SessionText.parse(text).orElseThrow(() -> AdminJson.invalid(
                    "session_text", "one of default, store, omit")));
        }
        settings = settings.withOwner(body.optionalString("owner").orElse(settings.owner()));
        settings = settings.withAllowedModels(body.optionalStrings("allowed_models").orElse(settings.allowedModels()));
        if (body.raw().has("expires_at")) {
            settings = settings.withExpiry(body.optionalInstant("expires_at"));
        }
        boolean disabled = body.optionalBoolean("disabled").orElse(settings.disabled());
        String reason = disabled ? body.optionalString("disabled_reason").orElse(settings.disabledReason()) : "";
        settings = settings.withDisabled(disabled, reason);
        Optional<Integer> rpm = body.raw().has("rpm_limit") ? body.optionalInt("rpm_limit", 1, 10_000_000)
                : settings.rpmLimit();
        Optional<Integer> tpm = body.raw().has("tpm_limit") ? body.optionalInt("tpm_limit", 1, 2_000_000_000)
                : settings.tpmLimit();
        Optional<BigDecimal> budget = body.raw().has("budget_usd") ? body.optionalMoney("budget_usd")
                : settings.budgetUsd();
        return settings.withLimits(rpm, tpm, budget);
    }

    private ObjectNode render(ApiKeyRow row) {
        ApiKeySettings settings = row.settings();
        ObjectNode node = Json.object();
        node.put("id", row.id());
        node.put("object", "api_key");
        node.put("name", settings.name());
        node.put("owner", settings.owner());
        node.put("display_prefix", row.displayPrefix());
        var models = node.putArray("allowed_models");
        settings.allowedModels().forEach(models::add);
        settings.expiresAt().ifPresentOrElse(at -> node.put("expires_at", at.toString()),
                () -> node.putNull("expires_at"));
        node.put("disabled", settings.disabled());
        node.put("disabled_reason", settings.disabledReason());
        settings.rpmLimit().ifPresentOrElse(limit -> node.put("rpm_limit", limit), () -> node.putNull("rpm_limit"));
        settings.tpmLimit().ifPresentOrElse(limit -> node.put("tpm_limit", limit), () -> node.putNull("tpm_limit"));
        settings.budgetUsd().ifPresentOrElse(budget -> node.put("budget_usd", AdminJson.money(budget)),
                () -> node.putNull("budget_usd"));
        node.put("session_text", settings.sessionText().tag());
        node.put("spent_usd", AdminJson.money(spend.spent(row.id())));
        node.put("created_at", row.createdAt().toString());
        node.put("updated_at", row.updatedAt().toString());
        return node;
    }

    private static ObjectNode summary(ApiKeySettings settings) {
        ObjectNode node = Json.object();
        node.put("name", settings.name());
        node.put("owner", settings.owner());
        node.put("disabled", settings.disabled());
        node.put("allowed_models", String.join(",", settings.allowedModels()));
        return node;
    }
}
