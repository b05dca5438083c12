package ai.higress.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.higress.config.ApiKeyConfig;
import ai.higress.error.GatewayException;

/**
 * Checks client API keys. Keys are indexed by the SHA-256 digest of their value, so a lookup costs the same whatever
 * the presented key shares with a real one, and the final comparison of digests is constant-time.
 */
public final class ApiKeyAuthenticator {
    private static final String BEARER = "bearer ";

    private final Map<String, Entry> byDigest = new HashMap<>();

    public ApiKeyAuthenticator(List<ApiKeyConfig> keys) {
        for (ApiKeyConfig key : keys) {
            byte[] digest = digest(key.key().reveal());
            byDigest.put(HexFormat.of().formatHex(digest), new Entry(digest, new Caller(key.name())));
        }
    }

    /**
     * The caller for the presented credentials.
     *
     * @param authorization the {@code Authorization} header, if sent
     * @param apiKeyHeader  the {@code X-API-Key} header, if sent
     * @throws GatewayException 401 when no key was presented or it is not valid
     */
    public Caller authenticate(Optional<String> authorization, Optional<String> apiKeyHeader) {
        String presented = presentedKey(authorization, apiKeyHeader).orElseThrow(() -> GatewayException.invalidApiKey(
                "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'."));
        byte[] digest = digest(presented);
        Entry entry = byDigest.get(HexFormat.of().formatHex(digest));
        if (entry == null || !MessageDigest.isEqual(entry.digest(), digest)) {
            throw GatewayException.invalidApiKey("Incorrect API key provided.");
        }
        return entry.caller();
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

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private record Entry(byte[] digest, Caller caller) {
    }
}
