package ai.higress.provider.gemini;

import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;

/**
 * A request this upstream cannot carry faithfully. It is a client error (400, not retried on another target, not held
 * against the provider's health) that names the parameter, so the client learns what to change instead of getting an
 * answer to a request it did not make.
 */
final class Refusals {

    private Refusals() {
    }

    /** {@code param} has no Gemini equivalent (or not with this value). */
    static UpstreamException unsupported(String param, String message) {
        return refusal(param, message, "unsupported_parameter");
    }

    /** {@code param} is malformed in a way the upstream cannot be asked to judge. */
    static UpstreamException invalid(String param, String message) {
        return refusal(param, message, "invalid_value");
    }

    private static UpstreamException refusal(String param, String message, String code) {
        // upstream status 0: no upstream was asked
        return UpstreamException.answered(ErrorKind.BAD_REQUEST, 0, message, Optional.of(param), Optional.of(code),
                Optional.empty());
    }
}
