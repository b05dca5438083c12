package ai.higress.auth;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.higress.config.ApiKeyConfig;
import ai.higress.error.ErrorType;
import ai.higress.error.GatewayException;

/**
 * Checks client API keys: static keys from configuration and keys managed through the admin API. A presented key is
 * HMAC-hashed under the server secret and looked up by that digest, so the lookup costs the same whatever the key
 * shares with a real one, and the final comparison of digests is constant-time. Managed keys are held in memory and
 * replaced as a whole when they change.
 */
public final class ApiKeyAuthenticator {
    private static final String BEARER = "bearer ";

    private final KeyHasher hasher;
    private final Clock clock;
    private final SpendLedger spend;
    private final Map<String, Entry> staticKeys = new HashMap<>();
    private volatile Map<String, Entry> managedKeys = Map.of();

    public ApiKeyAuthenticator(KeyHasher hasher, List<ApiKeyConfig> keys, Clock clock, SpendLedger spend) {
        this.hasher = hasher;
        this.clock = clock;
        this.spend = spend;
        for (ApiKeyConfig key : keys) {
            String digest = hasher.hash(key.key().reveal());
            staticKeys.put(digest, new Entry(digest, Optional.empty(),
                    new Caller("config:" + key.name(), key.name(), java.util.Set.of(),
                            new KeyLimits(key.requestsPerMinute(), key.tokensPerMinute(), Optional.empty()),
                            key.sessionText())));
        }
    }

    /** Installs the current set of managed keys (after a change or at start-up). */
    public void replaceManaged(List<ManagedKey> keys) {
        Map<String, Entry> byDigest = new HashMap<>();
        for (ManagedKey key : keys) {
            byDigest.put(key.secretHash(), new Entry(key.secretHash(), Optional.of(key),
                    new Caller(key.id(), key.name(), key.allowedModels(), key.limits(), key.sessionText())));
        }
        managedKeys = Map.copyOf(byDigest);
    }

    /**
     * The caller for the presented credentials.
     *
     * @param authorization the {@code Authorization} header, if sent
     * @param apiKeyHeader  the {@code X-API-Key} header, if sent
     * @throws GatewayException 401 missing, wrong or expired key; 403 disabled key; 429 spent budget
     */
    public Caller authenticate(Optional<String> authorization, Optional<String> apiKeyHeader) {
        String presented = presentedKey(authorization, apiKeyHeader).orElseThrow(() -> GatewayException.invalidApiKey(
                "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'."));
        String digest = hasher.hash(presented);
        Entry entry = staticKeys.get(digest);
        if (entry == null) {
            entry = managedKeys.get(digest);
        }
        if (entry == null || !MessageDigest.isEqual(entry.digest().getBytes(StandardCharsets.US_ASCII),
                digest.getBytes(StandardCharsets.US_ASCII))) {
            throw GatewayException.invalidApiKey("Incorrect API key provided.");
        }
        entry.managed().ifPresent(this::checkUsable);
        return entry.caller();
    }

    private void checkUsable(ManagedKey key) {
        if (key.disabled()) {
            throw new GatewayException(403, ErrorType.PERMISSION, "This API key has been disabled"
                    + (key.disabledReason().isBlank() ? "." : ": " + key.disabledReason() + "."), Optional.empty(),
                    Optional.of("api_key_disabled"));
        }
        if (key.expiresAt().isPresent() && !clock.instant().isBefore(key.expiresAt().get())) {
            throw new GatewayException(401, ErrorType.INVALID_REQUEST, "This API key expired at "
                    + key.expiresAt().get() + ".", Optional.empty(), Optional.of("api_key_expired"));
        }
        key.limits().budgetUsd().ifPresent(budget -> {
            if (spend.spent(key.id()).compareTo(budget) >= 0) {
                throw new GatewayException(429, ErrorType.RATE_LIMIT, "This API key has used its budget of $"
                        + budget.stripTrailingZeros().toPlainString() + ".", Optional.empty(),
                        Optional.of("insufficient_quota"));
            }
        });
    }

    private static Optional<String> presentedKey(Optional<String> authorization, Optional<String> apiKeyHeader) {
        if (authorization.isPresent()) {
            String value = authorization.get().strip();
            if (value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                String key = value.substring(BEARER.length()).strip();
                if (!key.isEmpty()) {
                    return Optional.of(key);
                }
            }
        }
        return apiKeyHeader.map(String::strip).filter(key -> !key.isEmpty());
    }

    private record Entry(String digest, Optional<ManagedKey> managed, Caller caller) {
    }
}
