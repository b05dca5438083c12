package ai.higress.provider.anthropic;

import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;

/**
 * Requests an Anthropic model cannot honour are refused with a 400 naming the parameter, never forwarded with the
 * parameter quietly dropped. They are client errors: they do not count against the provider and are not retried.
 */
final class Refusals {
    private static final int STATUS = 400;

    private Refusals() {
    }

    /** A parameter (or a value of it other than its default) that Anthropic models do not support. */
    static UpstreamException parameter(String param, String reason) {
        return UpstreamException.answered(ErrorKind.BAD_REQUEST, STATUS, "Unsupported parameter: '" + param
                + "' is not supported with Anthropic models: " + reason + ".", Optional.of(param),
                Optional.of("unsupported_parameter"), Optional.empty());
    }

    /** A supported parameter with a value Anthropic models do not accept. */
    static UpstreamException value(String param, String reason) {
        return UpstreamException.answered(ErrorKind.BAD_REQUEST, STATUS, "Unsupported value: '" + param + "' "
                + reason + ".", Optional.of(param), Optional.of("unsupported_value"), Optional.empty());
    }

    /** A value that is malformed for translation (e.g. tool-call arguments that are not a JSON object). */
    static UpstreamException invalid(String param, String reason) {
        return UpstreamException.answered(ErrorKind.BAD_REQUEST, STATUS, "Invalid value for '" + param + "': "
                + reason + ".", Optional.of(param), Optional.of("invalid_value"), Optional.empty());
    }
}
