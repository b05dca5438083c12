package ai.higress.storage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import ai.higress.config.SessionText;

/**
 * What an admin can change on a client API key.
 *
 * @param name           display name
 * @param owner          free-form owner (team, person); empty when unset
 * @param allowedModels  logical models the key may use; empty means every model
 * @param expiresAt      when the key stops working, if ever
 * @param disabled       whether the key is refused
 * @param disabledReason why, shown to admins (empty when enabled)
 * @param rpmLimit       requests per minute, if limited
 * @param tpmLimit       tokens per minute, if limited
 * @param budgetUsd      total spend allowed, if limited
 * @param sessionText    whether its session snippets keep message text (default: the global setting)
 */
public record ApiKeySettings(String name, String owner, List<String> allowedModels, Optional<Instant> expiresAt,
                             boolean disabled, String disabledReason, Optional<Integer> rpmLimit,
                             Optional<Integer> tpmLimit, Optional<BigDecimal> budgetUsd, SessionText sessionText) {
    public ApiKeySettings {
        allowedModels = List.copyOf(allowedModels);
        expiresAt = expiresAt.map(Sql::micros);
        budgetUsd = budgetUsd.map(Rows::money);
    }

    /** An enabled key named {@code name} with no owner, model restriction, expiry or limits. */
    public static ApiKeySettings named(String name) {
        return new ApiKeySettings(name, "", List.of(), Optional.empty(), false, "", Optional.empty(),
                Optional.empty(), Optional.empty(), SessionText.DEFAULT);
    }

    public ApiKeySettings withOwner(String newOwner) {
        return new ApiKeySettings(name, newOwner, allowedModels, expiresAt, disabled, disabledReason, rpmLimit,
                tpmLimit, budgetUsd, sessionText);
    }

    public ApiKeySettings withAllowedModels(List<String> models) {
        return new ApiKeySettings(name, owner, models, expiresAt, disabled, disabledReason, rpmLimit, tpmLimit,
                budgetUsd, sessionText);
    }

    public ApiKeySettings withExpiry(Optional<Instant> expiry) {
        return new ApiKeySettings(name, owner, allowedModels, expiry, disabled, disabledReason, rpmLimit, tpmLimit,
                budgetUsd, sessionText);
    }

    /** Disabled with {@code reason}, or enabled (the reason cleared) when {@code reason} is empty. */
    public ApiKeySettings withDisabled(boolean off, String reason) {
        return new ApiKeySettings(name, owner, allowedModels, expiresAt, off, off ? reason : "", rpmLimit, tpmLimit,
                budgetUsd, sessionText);
    }

    public ApiKeySettings withLimits(Optional<Integer> rpm, Optional<Integer> tpm, Optional<BigDecimal> budget) {
        return new ApiKeySettings(name, owner, allowedModels, expiresAt, disabled, disabledReason, rpm, tpm, budget,
                sessionText);
    }

    public ApiKeySettings withName(String newName) {
        return new ApiKeySettings(newName, owner, allowedModels, expiresAt, disabled, disabledReason, rpmLimit,
                tpmLimit, budgetUsd, sessionText);
    }

    public ApiKeySettings withSessionText(SessionText text) {
        return new ApiKeySettings(name, owner, allowedModels, expiresAt, disabled, disabledReason, rpmLimit,
                tpmLimit, budgetUsd, text);
    }
}
