package ai.higress.observe;

import ai.higress.error.GatewayException;
import ai.higress.error.UpstreamException;

/** How a request ended; one per request, used as a metric tag and in the access log. */
public enum Outcome {
    SUCCESS,
    CLIENT_ERROR,
    AUTH_FAILED,
    RATE_LIMITED,
    UPSTREAM_ERROR,
    UPSTREAM_TIMEOUT,
    UPSTREAM_UNREACHABLE,
    STREAM_INTERRUPTED,
    CLIENT_DISCONNECTED,
    INTERNAL_ERROR;

    public String tag() {
        return name().toLowerCase();
    }

    public static Outcome of(GatewayException failure) {
        if (failure instanceof UpstreamException upstream) {
            return switch (upstream.kind()) {
                case TIMEOUT -> UPSTREAM_TIMEOUT;
                case NETWORK -> UPSTREAM_UNREACHABLE;
                case RATE_LIMITED -> RATE_LIMITED;
                case BAD_REQUEST, CONTEXT_TOO_LONG, CONTENT_FILTERED, NOT_FOUND -> CLIENT_ERROR;
                case OVERLOADED, AUTH, SERVER, PROTOCOL -> UPSTREAM_ERROR;
            };
        }
        return ofStatus(failure.status());
    }

    public static Outcome ofStatus(int status) {
        if (status < 400) {
            return SUCCESS;
        }
        return switch (status) {
            case 401, 403 -> AUTH_FAILED;
            case 429 -> RATE_LIMITED;
            case 502, 503 -> UPSTREAM_ERROR;
            case 504 -> UPSTREAM_TIMEOUT;
            default -> status < 500 ? CLIENT_ERROR : INTERNAL_ERROR;
        };
    }
}
