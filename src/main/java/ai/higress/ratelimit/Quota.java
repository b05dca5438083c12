package ai.higress.ratelimit;

import java.util.OptionalInt;

/**
 * The limits of one key.
 *
 * @param requestsPerMinute requests admitted per sliding minute, when limited
 * @param tokensPerMinute   tokens (reserved, then reconciled to real usage) per sliding minute, when limited
 */
public record Quota(OptionalInt requestsPerMinute, OptionalInt tokensPerMinute) {

    public boolean limited() {
        return requestsPerMinute.isPresent() || tokensPerMinute.isPresent();
    }
}
