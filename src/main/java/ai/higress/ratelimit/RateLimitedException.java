package ai.higress.ratelimit;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import ai.higress.error.ErrorType;
import ai.higress.error.GatewayException;

/** 429 {@code rate_limit_exceeded}, with {@code Retry-After} and the {@code x-ratelimit-*} headers. */
public final class RateLimitedException extends GatewayException {
    private static final long serialVersionUID = 1L;

    private final transient Map<String, String> headers;
    private final Duration retryAfter;

    RateLimitedException(String message, Duration retryAfter, Map<String, String> headers) {
        super(429, ErrorType.RATE_LIMIT, message, Optional.empty(), Optional.of("rate_limit_exceeded"));
        this.retryAfter = retryAfter;
        this.headers = Map.copyOf(headers);
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** The {@code x-ratelimit-*} headers to send with the refusal. */
    public Map<String, String> headers() {
        return headers;
    }
}
