package ai.higress.storage;

import java.util.Optional;

/**
 * Which API keys a listing returns; every present criterion must hold.
 *
 * @param nameContains part of the name, ignoring case
 * @param owner        exact owner
 * @param disabled     only disabled (true) or only enabled (false) keys
 */
public record ApiKeyFilter(Optional<String> nameContains, Optional<String> owner, Optional<Boolean> disabled) {
    public static final ApiKeyFilter ALL = new ApiKeyFilter(Optional.empty(), Optional.empty(), Optional.empty());

    public ApiKeyFilter withNameContaining(String text) {
        return new ApiKeyFilter(Optional.of(text), owner, disabled);
    }

    public ApiKeyFilter withOwner(String exactOwner) {
        return new ApiKeyFilter(nameContains, Optional.of(exactOwner), disabled);
    }

    public ApiKeyFilter withDisabled(boolean only) {
        return new ApiKeyFilter(nameContains, owner, Optional.of(only));
    }
}
