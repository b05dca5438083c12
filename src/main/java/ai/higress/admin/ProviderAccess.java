package ai.higress.admin;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ai.higress.auth.SecretBox;
import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderKey;
import ai.higress.config.Secret;
import ai.higress.schema.Json;
import ai.higress.storage.ProviderRepository;
import ai.higress.storage.ProviderRow;
import ai.higress.storage.Source;
import ai.higress.storage.Status;
import ai.higress.storage.UpstreamKey;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.webserver.http.ServerRequest;

/**
 * What the provider admin services share: the provider a path names (and whether the admin API may change it), its
 * upstream keys as answers show them (hints only, never a secret) and as they are stored (sealed with the
 * {@link SecretBox} under a new id), and the {@code status} field of a body.
 */
final class ProviderAccess {
    private static final String KEY_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    private final AdminSupport admin;
    private final ProviderRepository providers;
    private final SecretBox box;
    private final SecureRandom random = new SecureRandom();

    ProviderAccess(AdminSupport admin, ProviderRepository providers, SecretBox box) {
        this.admin = admin;
        this.providers = providers;
        this.box = box;
    }

    /** The provider named in the path; 404 when there is none. */
    ProviderRow existing(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        return providers.get(id).orElseThrow(() -> AdminSupport.notFound("provider", id));
    }

    /** The provider named in the path, which must exist and be managed through the API. */
    ProviderRow writable(ServerRequest req) {
        ProviderRow row = existing(req);
        if (row.provider().source() == Source.CONFIG) {
            throw AdminSupport.readOnly("Provider '" + row.provider().id() + "'");
        }
        return row;
    }

    /** {@code key} sealed for storage under a new id; the id it had (a configuration entry's) is not kept. */
    UpstreamKey seal(String providerId, ProviderKey key) {
        return EntityMapping.keyRow(newKeyId(), providerId, key, box);
    }

    /** A new active key of {@code providerId} holding {@code secret}, sealed for storage. */
    UpstreamKey seal(String providerId, String secret, int weight) {
        String keyId = newKeyId();
        return EntityMapping.keyRow(keyId, providerId, new ProviderKey(keyId, Secret.of(secret), weight), box);
    }

    private String newKeyId() {
        StringBuilder id = new StringBuilder("pk_");
        for (int i = 0; i < 24; i++) {
            id.append(KEY_ALPHABET.charAt(random.nextInt(KEY_ALPHABET.length())));
        }
        return id.toString();
    }

    /** The provider's keys as {id, hint, weight, status}; a configuration file's keys come from memory. */
    List<ObjectNode> keysOf(ProviderRow row) {
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

    static ObjectNode renderKey(UpstreamKey key) {
        ObjectNode node = Json.object();
        node.put("id", key.id());
        return keyFields(node, key);
    }

    /** What an audit record of a key change holds: its provider, hint, weight and status. */
    static ObjectNode keyDetails(UpstreamKey key) {
        ObjectNode node = Json.object();
        node.put("provider", key.providerId());
        return keyFields(node, key);
    }

    private static ObjectNode keyFields(ObjectNode node, UpstreamKey key) {
        node.put("hint", key.hint());
        node.put("weight", key.weight());
        node.put("status", code(key.status()));
        return node;
    }

    /** The required {@code status} field: {@code active} or {@code disabled}, in any case. */
    static Status status(AdminJson body) {
        String status = body.requiredString("status").toLowerCase(Locale.ROOT);
        return switch (status) {
            case "active" -> Status.ACTIVE;
            case "disabled" -> Status.DISABLED;
            default -> throw AdminJson.invalid("status", "'active' or 'disabled'");
        };
    }

    /** An enum value as answers show it: {@code ACTIVE} as {@code active}. */
    static String code(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
