package ai.higress.error;

import java.time.Duration;
import java.util.Optional;

/**
 * One upstream attempt failed, or all attempts did. Carries the classified {@link ErrorKind}, the upstream's own HTTP
 * status when there was one, and the upstream's Retry-After when it gave one.
 */
public final class UpstreamException extends GatewayException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final int upstreamStatus;
    private final transient Optional<Duration> retryAfter;

    private UpstreamException(int status, ErrorType type, String message, Optional<String> param, Optional<String> code,
                              ErrorKind kind, int upstreamStatus, Optional<Duration> retryAfter) {
        super(status, type, message, param, code);
        this.kind = kind;
        this.upstreamStatus = upstreamStatus;
        this.retryAfter = retryAfter;
    }

    /**
     * An upstream answered with an error status. Client-caused kinds keep the upstream's status and message so the
     * client can fix its request; provider faults are reported as the gateway's own status.
     */
    public static UpstreamException answered(ErrorKind kind, int upstreamStatus, String message, Optional<String> param,
                                             Optional<String> code, Optional<Duration> retryAfter) {
        return new UpstreamException(clientStatus(kind, upstreamStatus), typeOf(kind), message, param, code, kind,
                upstreamStatus, retryAfter);
    }

    /** No usable HTTP answer: the connection failed, broke or timed out, or the body was not understood. */
    public static UpstreamException transport(ErrorKind kind, String message) {
        return new UpstreamException(clientStatus(kind, 0), typeOf(kind), message, Optional.empty(),
                Optional.of(codeOf(kind)), kind, 0, Optional.empty());
    }

    /**
     * No attempt was made because every target was at its concurrency cap: 503 {@code upstream_busy}, with a
     * Retry-After.
     */
    public static UpstreamException busy(String message, Duration retryAfter) {
        return new UpstreamException(503, ErrorType.UPSTREAM, message, Optional.empty(),
                Optional.of("upstream_busy"), ErrorKind.OVERLOADED, 0, Optional.of(retryAfter));
    }

    /** An established connection broke (reset, closed mid-body): a NETWORK failure, named apart from unreachable. */
    public static UpstreamException connectionLost(String message) {
        return new UpstreamException(502, ErrorType.UPSTREAM, message, Optional.empty(),
                Optional.of("upstream_connection_lost"), ErrorKind.NETWORK, 0, Optional.empty());
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The upstream's HTTP status, or 0 when there was no HTTP answer. */
    public int upstreamStatus() {
        return upstreamStatus;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    private static int clientStatus(ErrorKind kind, int upstreamStatus) {
        return switch (kind) {
            case BAD_REQUEST, CONTEXT_TOO_LONG, CONTENT_FILTERED -> upstreamStatus >= 400 && upstreamStatus < 500
                    ? upstreamStatus : 400;
            case NOT_FOUND -> 404;
            case RATE_LIMITED -> 429;
            case OVERLOADED -> 503;
            case TIMEOUT -> 504;
            case AUTH, SERVER, NETWORK, PROTOCOL -> 502;
        };
    }

    private static ErrorType typeOf(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST, CONTEXT_TOO_LONG, CONTENT_FILTERED, NOT_FOUND -> ErrorType.INVALID_REQUEST;
            case RATE_LIMITED -> ErrorType.RATE_LIMIT;
            case TIMEOUT -> ErrorType.TIMEOUT;
            case OVERLOADED, AUTH, SERVER, NETWORK, PROTOCOL -> ErrorType.UPSTREAM;
        };
    }

    private static String codeOf(ErrorKind kind) {
        return switch (kind) {
            case TIMEOUT -> "upstream_timeout";
            case NETWORK -> "upstream_unreachable";
            case PROTOCOL -> "upstream_protocol_error";
            case OVERLOADED -> "upstream_overloaded";
            default -> "upstream_error";
        };
    }
}
