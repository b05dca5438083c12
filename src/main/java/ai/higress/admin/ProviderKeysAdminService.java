package ai.higress.admin;

import ai.higress.config.AuthStyle;
import ai.higress.config.ProviderPreset;
import ai.higress.schema.Json;
import ai.higress.storage.Provider;
import ai.higress.storage.ProviderRepository;
import ai.higress.storage.ProviderRow;
import ai.higress.storage.Status;
import ai.higress.storage.UpstreamKey;
import ai.higress.storage.UpstreamKeyRow;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A provider's upstream keys: {@code /admin/api/providers/{id}/keys}. A key is sealed with the
 * {@link ai.higress.auth.SecretBox} before it is stored and is never shown again: answers carry a hint only. The last
 * active key of a provider that needs one cannot be disabled or deleted. Keys of providers from the configuration file
 * are read-only. Every change is audited (without secrets) and applies on every replica.
 */
final class ProviderKeysAdminService implements HttpService {
    private static final int MAX_KEY_WEIGHT = 1_000_000;

    private final AdminSupport admin;
    private final ProviderRepository providers;
    private final ProviderAccess access;

    ProviderKeysAdminService(AdminSupport admin, ProviderRepository providers, ProviderAccess access) {
        this.admin = admin;
        this.providers = providers;
        this.access = access;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/admin/api/providers/{id}/keys", this::list)
                .post("/admin/api/providers/{id}/keys", this::add)
                .patch("/admin/api/providers/{id}/keys/{keyId}", this::update)
                .delete("/admin/api/providers/{id}/keys/{keyId}", this::delete);
    }

    private void list(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        ProviderRow row = access.existing(req);
        AdminSupport.send(res, AdminSupport.list(access.keysOf(row), node -> node));
    }

    private void add(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        ProviderRow provider = access.writable(req);
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        String secret = body.requiredString("key");
        int weight = body.optionalInt("weight", 1, MAX_KEY_WEIGHT).orElse(1);
        Status status = body.has("status") ? ProviderAccess.status(body) : Status.ACTIVE;
        UpstreamKey sealed = access.seal(provider.provider().id(), secret, weight);
        if (status != Status.ACTIVE) {
            sealed = withSettings(sealed, weight, status);
        }
        providers.addKey(sealed);
        ObjectNode node = ProviderAccess.renderKey(sealed);
        admin.changed(principal, "create", "provider_key", sealed.id(), ProviderAccess.keyDetails(sealed));
        AdminSupport.send(res, io.helidon.http.Status.CREATED_201, node);
    }

    private void update(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        ProviderRow provider = access.writable(req);
        UpstreamKey current = keyOf(req, provider);
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        int weight = body.optionalInt("weight", 1, MAX_KEY_WEIGHT).orElse(current.weight());
        Status status = body.has("status") ? ProviderAccess.status(body) : current.status();
        UpstreamKey updated = withSettings(current, weight, status);
        if (status != Status.ACTIVE) {
            requireAnotherActiveKey(provider, current.id(), "disable");
        }
        if (!providers.updateKey(updated)) {
            throw AdminSupport.notFound("key", current.id());
        }
        admin.changed(principal, "update", "provider_key", current.id(), ProviderAccess.keyDetails(updated));
        AdminSupport.send(res, ProviderAccess.renderKey(updated));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        ProviderRow provider = access.writable(req);
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

    /** The key named in the path, which must belong to {@code provider}; 404 otherwise. */
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

    private static UpstreamKey withSettings(UpstreamKey key, int weight, Status status) {
        return new UpstreamKey(key.id(), key.providerId(), key.ciphertext(), key.hint(), weight, status);
    }
}
