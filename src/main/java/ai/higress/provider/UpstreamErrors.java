package ai.higress.provider;

import java.time.Duration;
import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;

/**
 * The one way every error classifier turns a classified upstream answer into an {@link UpstreamException}. When the
 * provider is at fault (rate limit, overload, its own key, its servers), the client did nothing wrong: the message
 * names the provider and the code is the gateway's own, not the upstream's, so a caller sees the same code whichever
 * protocol the failed target spoke. Otherwise the upstream's message, parameter and code reach the client.
 */
public final class UpstreamErrors {

    private UpstreamErrors() {
    }

    public static UpstreamException answered(Target target, ErrorKind kind, int status, String message,
                                             Optional<String> param, Optional<String> code,
                                             Optional<Duration> retryAfter) {
        if (kind.providerFault()) {
            return UpstreamException.answered(kind, status, "provider '" + target.providerId() + "' failed: "
                    + message, Optional.empty(), Optional.of(providerFaultCode(kind)), retryAfter);
        }
        return UpstreamException.answered(kind, status, message, param, code, retryAfter);
    }

    private static String providerFaultCode(ErrorKind kind) {
        return switch (kind) {
            case RATE_LIMITED -> "upstream_rate_limited";
            case OVERLOADED -> "upstream_overloaded";
            case AUTH -> "upstream_auth_failed";
            case TIMEOUT -> "upstream_timeout";
            default -> "upstream_error";
        };
    }
}
