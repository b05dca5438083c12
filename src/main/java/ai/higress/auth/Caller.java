package ai.higress.auth;

import java.util.Set;

import ai.higress.config.SessionText;

/**
 * The authenticated client a request runs as.
 *
 * @param keyId         the key's id ({@code key_…} for managed keys, {@code config:<name>} for static ones)
 * @param keyName       the key's name (never the key itself)
 * @param allowedModels the models this key may use; empty means every model
 * @param limits        its rate limits and budget
 * @param sessionText   whether its session snippets keep message text
 */
public record Caller(String keyId, String keyName, Set<String> allowedModels, KeyLimits limits,
                     SessionText sessionText) {

    public Caller {
        allowedModels = Set.copyOf(allowedModels);
    }

    /** A caller following the global session-text setting. */
    public Caller(String keyId, String keyName, Set<String> allowedModels, KeyLimits limits) {
        this(keyId, keyName, allowedModels, limits, SessionText.DEFAULT);
    }

    /** A caller with no restrictions, as static configuration keys are. */
    public static Caller unrestricted(String keyId, String keyName) {
        return new Caller(keyId, keyName, Set.of(), KeyLimits.NONE);
    }

    /** Whether the key may use the model a client asked for (checked against the name as requested). */
    public boolean mayUse(String model) {
        return allowedModels.isEmpty() || allowedModels.contains(model);
    }
}
