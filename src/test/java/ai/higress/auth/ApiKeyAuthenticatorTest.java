package ai.higress.auth;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import ai.higress.config.ApiKeyConfig;
import ai.higress.config.Secret;
import ai.higress.error.GatewayException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyAuthenticatorTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final KeyHasher HASHER = new KeyHasher("server-secret-for-the-tests-0123456789".getBytes(
            StandardCharsets.UTF_8));
    private static final String STATIC_KEY = "sk-static-key-0123456789";

    private final SpendLedger spend = new SpendLedger();
    private final ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(HASHER,
            List.of(new ApiKeyConfig("ops", Secret.of(STATIC_KEY))), Clock.fixed(NOW, ZoneOffset.UTC), spend);

    private ManagedKey managed(String id, String key, boolean disabled, Optional<Instant> expiry,
                               Optional<BigDecimal> budget, Set<String> models) {
        return new ManagedKey(id, id + "-name", HASHER.hash(key), models, expiry, disabled, "left the team",
                new KeyLimits(OptionalInt.of(60), OptionalInt.empty(), budget));
    }

    private Caller bearer(String key) {
        return authenticator.authenticate(Optional.of("Bearer " + key), Optional.empty());
    }

    private static void assertRefused(int status, String code, Runnable call) {
        GatewayException failure = assertThrows(GatewayException.class, call::run);
        assertEquals(status, failure.status());
        assertEquals(Optional.of(code), failure.code());
    }

    @Test
    void staticAndManagedKeysAuthenticateByBearerOrHeader() {
        String key = HASHER.newKey();
        authenticator.replaceManaged(List.of(managed("key_1", key, false, Optional.empty(), Optional.empty(),
                Set.of("smart"))));

        assertEquals(Caller.unrestricted("config:ops", "ops"), bearer(STATIC_KEY));
        Caller caller = authenticator.authenticate(Optional.empty(), Optional.of(key));
        assertEquals("key_1", caller.keyId());
        assertTrue(caller.mayUse("smart"));
        assertFalse(caller.mayUse("other"));
        assertEquals(OptionalInt.of(60), caller.limits().requestsPerMinute());
        assertEquals(caller, authenticator.authenticate(Optional.of("Basic abc"), Optional.of(key)));
    }

    @Test
    void missingWrongDisabledExpiredAndOverBudgetKeysAreRefusedClearly() {
        String disabled = HASHER.newKey();
        String expired = HASHER.newKey();
        String spent = HASHER.newKey();
        String fine = HASHER.newKey();
        authenticator.replaceManaged(List.of(
                managed("key_d", disabled, true, Optional.empty(), Optional.empty(), Set.of()),
                managed("key_e", expired, false, Optional.of(NOW), Optional.empty(), Set.of()),
                managed("key_s", spent, false, Optional.empty(), Optional.of(new BigDecimal("5.00")), Set.of()),
                managed("key_f", fine, false, Optional.of(NOW.plusSeconds(1)), Optional.of(new BigDecimal("5")),
                        Set.of())));
        spend.load(Map.of("key_s", new BigDecimal("5.0000"), "key_f", new BigDecimal("4.99")));

        assertRefused(401, "invalid_api_key", () -> authenticator.authenticate(Optional.empty(), Optional.empty()));
        assertRefused(401, "invalid_api_key", () -> bearer("sk-hig-unknown"));
        assertRefused(403, "api_key_disabled", () -> bearer(disabled));
        assertRefused(401, "api_key_expired", () -> bearer(expired));
        assertRefused(429, "insufficient_quota", () -> bearer(spent));
        assertEquals("key_f", bearer(fine).keyId());
        spend.add("key_f", new BigDecimal("0.01"));
        assertRefused(429, "insufficient_quota", () -> bearer(fine));
        GatewayException disabledFailure = assertThrows(GatewayException.class, () -> bearer(disabled));
        assertEquals("This API key has been disabled: left the team.", disabledFailure.getMessage());
    }

    @Test
    void replacingManagedKeysRevokesRemovedOnes() {
        String key = HASHER.newKey();
        authenticator.replaceManaged(List.of(managed("key_1", key, false, Optional.empty(), Optional.empty(),
                Set.of())));
        assertEquals("key_1", bearer(key).keyId());
        authenticator.replaceManaged(List.of());
        assertRefused(401, "invalid_api_key", () -> bearer(key));
        assertEquals("config:ops", bearer(STATIC_KEY).keyId(), "static keys stay");
    }
}
