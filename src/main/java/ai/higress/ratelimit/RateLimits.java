package ai.higress.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import ai.higress.config.FailurePolicy;
import ai.higress.config.RateLimitConfig;
import ai.higress.error.ErrorType;
import ai.higress.error.GatewayException;
import ai.higress.redis.RedisUnavailableException;
import ai.higress.schema.Usage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Applies a key's rpm/tpm limits to a request: admission before routing (429 when over, with the OpenAI-style
 * headers), reconciliation of reserved tokens afterwards, and the failure policy when the store is unreachable.
 */
public final class RateLimits {
    private static final Logger LOGGER = Logger.getLogger(RateLimits.class.getName());

    private final RateLimiter limiter;
    private final FailurePolicy requestsPolicy;
    private final FailurePolicy tokensPolicy;
    private final RateLimitConfig config;
    private final RateLimitListener listener;
    private final LongSupplier nanoTime;
    private final AtomicLong lastWarning = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimits(RateLimiter limiter, FailurePolicy requestsPolicy, FailurePolicy tokensPolicy,
                      RateLimitConfig config, RateLimitListener listener, LongSupplier nanoTime) {
        this.limiter = limiter;
        this.requestsPolicy = requestsPolicy;
        this.tokensPolicy = tokensPolicy;
        this.config = config;
        this.listener = listener;
        this.nanoTime = nanoTime;
        this.lastWarning.set(nanoTime.getAsLong() - config.failureLogInterval().toNanos());
    }

    /**
     * Admits a request of {@code key} under {@code quota}.
     *
     * @throws RateLimitedException 429 when a limit is spent
     * @throws GatewayException     503 when the store is unreachable and a limit that applies fails closed
     */
    public Admission admit(String key, Quota quota, JsonNode body) {
        return admit(key, quota, () -> TokenEstimate.of(body, config.defaultMaxTokens()));
    }

    /**
     * As {@link #admit(String, Quota, JsonNode)} for a request whose token estimate its endpoint computes itself
     * (an embeddings request: its inputs, no completion). {@code estimate} runs only when a token limit applies.
     */
    public Admission admit(String key, Quota quota, LongSupplier estimate) {
        if (!quota.limited()) {
            return Admission.UNLIMITED;
        }
        long tokens = quota.tokensPerMinute().isPresent() ? estimate.getAsLong() : 0;
        Decision decision;
        try {
            decision = limiter.acquire(key, quota, tokens);
        } catch (RedisUnavailableException e) {
            return unavailable(quota, e);
        }
        Map<String, String> headers = headers(decision);
        if (!decision.allowed()) {
            LimitKind by = decision.refusedBy().orElse(LimitKind.REQUESTS);
            listener.checked("refused");
            listener.refused(by);
            throw new RateLimitedException(message(by, quota, tokens), decision.retryAfter(), headers);
        }
        listener.checked("allowed");
        return new Admission(headers, decision.reservation());
    }

    /**
     * Reconciles the tokens an admitted request reserved: with the usage the upstream reported; released entirely
     * when the request failed without usage; kept as reserved when it succeeded without reporting usage.
     */
    public void settle(Admission admission, Optional<Usage> usage, boolean succeeded) {
        if (admission.reservation().isEmpty()) {
            return;
        }
        Reservation reservation = admission.reservation().get();
        long actual = usage.map(u -> u.promptTokens() + u.completionTokens())
                .orElse(succeeded ? reservation.tokens() : 0L);
        try {
            limiter.reconcile(reservation, actual);
        } catch (RedisUnavailableException e) {
            warn("could not reconcile a token reservation", e);
        }
    }

    private Admission unavailable(Quota quota, RedisUnavailableException e) {
        boolean closed = (quota.requestsPerMinute().isPresent() && requestsPolicy == FailurePolicy.FAIL_CLOSED)
                || (quota.tokensPerMinute().isPresent() && tokensPolicy == FailurePolicy.FAIL_CLOSED);
        warn(closed ? "refusing limited requests (failure policy fail-closed)"
                : "admitting requests without limits (failure policy fail-open)", e);
        if (closed) {
            listener.checked("unavailable_refused");
            throw new GatewayException(503, ErrorType.SERVER, "Rate limiting is temporarily unavailable, so this "
                    + "key's requests are refused. Retry shortly.", Optional.empty(),
                    Optional.of("rate_limiter_unavailable"));
        }
        listener.checked("unavailable_allowed");
        return Admission.UNLIMITED;
    }

    /** At most one WARNING per configured interval, saying how many were suppressed since the last one. */
    private void warn(String what, RedisUnavailableException e) {
        long now = nanoTime.getAsLong();
        long last = lastWarning.get();
        if (now - last >= config.failureLogInterval().toNanos() && lastWarning.compareAndSet(last, now)) {
            long skipped = suppressed.getAndSet(0);
            LOGGER.log(Level.WARNING, "Rate limits: " + e.getMessage() + "; " + what
                    + (skipped > 0 ? " (" + skipped + " similar warnings suppressed)" : ""));
        } else {
            suppressed.incrementAndGet();
        }
    }

    static Map<String, String> headers(Decision decision) {
        Map<String, String> headers = new LinkedHashMap<>();
        decision.requests().ifPresent(window -> put(headers, LimitKind.REQUESTS, window));
        decision.tokens().ifPresent(window -> put(headers, LimitKind.TOKENS, window));
        return headers;
    }

    private static void put(Map<String, String> headers, LimitKind kind, WindowState window) {
        headers.put("x-ratelimit-limit-" + kind.tag(), Long.toString(window.limit()));
        headers.put("x-ratelimit-remaining-" + kind.tag(), Long.toString(window.remaining()));
        headers.put("x-ratelimit-reset-" + kind.tag(), duration(window.reset()));
    }

    /** OpenAI's format: {@code 20ms}, {@code 1.5s}, {@code 1m0s}. */
    static String duration(Duration value) {
        long millis = Math.max(0, value.toMillis());
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            String seconds = java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
            return seconds + "s";
        }
        long seconds = millis / 1000;
        return seconds / 60 + "m" + seconds % 60 + "s";
    }

    private static String message(LimitKind by, Quota quota, long tokens) {
        if (by == LimitKind.REQUESTS) {
            return "Rate limit reached for requests: this API key allows " + quota.requestsPerMinute().orElse(0)
                    + " requests per minute. Retry after the time in the Retry-After header.";
        }
        int tpm = quota.tokensPerMinute().orElse(0);
        if (tokens > tpm) {
            return "Request too large for this API key's limit of " + tpm + " tokens per minute: it reserves "
                    + tokens + " tokens (estimated prompt plus max_tokens). Lower max_tokens or shorten the prompt.";
        }
        return "Rate limit reached for tokens: this API key allows " + tpm + " tokens per minute and this request "
                + "reserves " + tokens + " (estimated prompt plus max_tokens). Retry after the time in the "
                + "Retry-After header.";
    }
}
