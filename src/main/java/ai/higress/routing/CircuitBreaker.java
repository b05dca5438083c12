package ai.higress.routing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

import ai.higress.config.HealthConfig;
import ai.higress.error.ErrorKind;

/**
 * Health of one target (or one provider key): circuit state, error ratio over a sliding window, consecutive failures,
 * peak-EWMA latency and requests in flight. Only provider faults count as failures; a client-caused error says
 * nothing about the provider and is ignored. Thread-safe.
 *
 * <p>Timeline: CLOSED, then OPEN after {@code consecutive-failures} failures in a row or an error ratio of at least
 * {@code error-ratio} over {@code min-requests}; after the cooldown (doubling per failed probe, with jitter, capped)
 * HALF_OPEN lets one probe through; its success closes the circuit and the weight ramps back from 10 % to 100 % over
 * {@code recovery}, its failure reopens it for twice as long. A 429 opens it for the Retry-After (or
 * {@code rate-limit-cooldown}); an auth failure for {@code auth-cooldown}.
 */
public final class CircuitBreaker {
    private static final double RAMP_FLOOR = 0.1;

    private final HealthConfig config;
    private final RandomGenerator random;
    private final ReentrantLock lock = new ReentrantLock();
    private final SlidingWindow window;
    private final PeakEwma latency;
    private final LatencyReservoir recentLatency = new LatencyReservoir();
    private final AtomicInteger inFlight = new AtomicInteger();

    private CircuitState state = CircuitState.CLOSED;
    private long openUntil;
    private int consecutiveFailures;
    private int failedProbes;
    private boolean probeInFlight;
    private long closedAt = Long.MIN_VALUE;
    private String lastReason = "";
    /** Whether the current open was applied from another replica (so that replica's close may end it). */
    private boolean openedRemotely;
    private volatile Observer observer = Observer.NONE;

    /**
     * Told of this breaker's own transitions (never of {@link #applyRemoteOpen}/{@link #applyRemoteClose}), after
     * its lock is released: how shared health publishes them.
     */
    public interface Observer {
        Observer NONE = new Observer() {
            @Override
            public void opened(long cooldownNanos, String reason) {
            }

            @Override
            public void closed() {
            }
        };

        /** The circuit opened (or its cooldown was extended) for {@code cooldownNanos} from now. */
        void opened(long cooldownNanos, String reason);

        /** A probe succeeded: the circuit closed. */
        void closed();
    }

    CircuitBreaker(HealthConfig config, RandomGenerator random) {
        this.config = config;
        this.random = random;
        this.window = new SlidingWindow(config.window().toNanos());
        this.latency = new PeakEwma(config.latencyDecay().toNanos());
    }

    void observe(Observer observer) {
        this.observer = observer;
    }

    /**
     * Applies an open decided by another replica: OPEN for {@code cooldownNanos} from {@code now} with its reason,
     * unless this circuit is already open for longer (a longer local cooldown is never shortened). Never reported to
     * the {@link Observer}, so a remote open is not published again.
     *
     * @return whether the circuit changed
     */
    public boolean applyRemoteOpen(long now, long cooldownNanos, String reason) {
        lock.lock();
        try {
            advance(now);
            long until = now + cooldownNanos;
            if (cooldownNanos <= 0 || state == CircuitState.OPEN && openUntil >= until) {
                return false;
            }
            openUntil = until;
            state = CircuitState.OPEN;
            probeInFlight = false;
            lastReason = reason;
            openedRemotely = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies a close decided by another replica (its probe succeeded): the circuit closes and ramps back as after a
     * local recovery. Not reported to the {@link Observer}.
     *
     * @return whether the circuit changed
     */
    public boolean applyRemoteClose(long now) {
        lock.lock();
        try {
            advance(now);
            if (state == CircuitState.CLOSED) {
                return false;
            }
            close(now);
            consecutiveFailures = 0;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies a close that another replica published but this one missed (read back by a reconcile): closes the
     * circuit only when its current open came from another replica, so a close seen late never ends an open this
     * replica decided on its own.
     *
     * @return whether the circuit changed
     */
    public boolean applyMissedRemoteClose(long now) {
        lock.lock();
        try {
            return openedRemotely && applyRemoteClose(now);
        } finally {
            lock.unlock();
        }
    }

    /** Whether a request may go now; claims the probe slot when the cooldown has just ended. */
    public boolean tryAcquire(long now) {
        lock.lock();
        try {
            advance(now);
            if (state == CircuitState.CLOSED) {
                return true;
            }
            if (state == CircuitState.HALF_OPEN && !probeInFlight) {
                probeInFlight = true;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The state as a plan would see it now, without claiming anything. */
    public CircuitState state(long now) {
        lock.lock();
        try {
            advance(now);
            return state;
        } finally {
            lock.unlock();
        }
    }

    public void onSuccess(long now, long latencyNanos) {
        boolean closed = false;
        lock.lock();
        try {
            latency.record(now, latencyNanos);
            recentLatency.record(latencyNanos);
            consecutiveFailures = 0;
            if (state != CircuitState.CLOSED) {
                close(now);
                closed = true;
            }
            window.record(now, false);
            probeInFlight = false;
        } finally {
            lock.unlock();
        }
        if (closed) {
            observer.closed();
        }
    }

    private void close(long now) {
        state = CircuitState.CLOSED;
        openedRemotely = false;
        window.clear();
        closedAt = now;
        failedProbes = 0;
        lastReason = "";
    }

    public void onFailure(long now, ErrorKind kind, Optional<Duration> retryAfter) {
        long opened = -1;
        String reason = "";
        lock.lock();
        try {
            long untilBefore = state == CircuitState.OPEN ? openUntil : Long.MIN_VALUE;
            boolean probing = probeInFlight;
            probeInFlight = false;
            if (!kind.providerFault()) {
                return;
            }
            switch (kind) {
                case RATE_LIMITED -> open(now, retryAfter.orElse(config.rateLimitCooldown()).toNanos(), "rate limited");
                case AUTH -> open(now, config.authCooldown().toNanos(), "upstream rejected the credentials");
                default -> recordFailure(now, kind, probing);
            }
            if (state == CircuitState.OPEN && openUntil > untilBefore) {
                opened = openUntil - now;
                reason = lastReason;
            }
        } finally {
            lock.unlock();
        }
        if (opened > 0) {
            observer.opened(opened, reason);
        }
    }

    /** A hedged attempt that lost and was cancelled: it says nothing about health. */
    public void onCancelled() {
        lock.lock();
        try {
            probeInFlight = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The factor applied to the configured weight: {@code (1 - errorRatio)^2} over the window (once it holds
     * {@code min-requests} attempts) times the recovery ramp; 0 while open.
     */
    public double healthFactor(long now) {
        lock.lock();
        try {
            advance(now);
            if (state == CircuitState.OPEN) {
                return 0;
            }
            double success = 1 - window.errorRatio(now, config.minRequests());
            return success * success * ramp(now);
        } finally {
            lock.unlock();
        }
    }

    /** Peak-EWMA latency in nanoseconds; empty before the first success. */
    public Optional<Double> latencyNanos() {
        lock.lock();
        try {
            return latency.seeded() ? Optional.of(latency.nanos()) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** The p-th percentile of recent successful latencies; empty with too few samples. */
    public Optional<Duration> latencyPercentile(double percentile) {
        lock.lock();
        try {
            long value = recentLatency.percentile(percentile);
            return value < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(value));
        } finally {
            lock.unlock();
        }
    }

    public AtomicInteger inFlight() {
        return inFlight;
    }

    /** A snapshot for explanations and the admin view. */
    public HealthSnapshot snapshot(long now) {
        lock.lock();
        try {
            advance(now);
            return new HealthSnapshot(state, Math.max(0, state == CircuitState.OPEN ? openUntil - now : 0),
                    window.total(now), window.failed(now), consecutiveFailures, latency.seeded() ? latency.nanos() : 0,
                    inFlight.get(), lastReason);
        } finally {
            lock.unlock();
        }
    }

    private void recordFailure(long now, ErrorKind kind, boolean probing) {
        window.record(now, true);
        consecutiveFailures++;
        String reason = kind.name().toLowerCase();
        if (probing) {
            failedProbes++;
            open(now, backoff(), "probe failed: " + reason);
        } else if (state == CircuitState.CLOSED && (consecutiveFailures >= config.consecutiveFailures()
                || window.total(now) >= config.minRequests()
                && window.errorRatio(now, config.minRequests()) >= config.errorRatio())) {
            open(now, backoff(), consecutiveFailures >= config.consecutiveFailures()
                    ? consecutiveFailures + " consecutive failures (" + reason + ")" : "error ratio over threshold");
        }
    }

    private long backoff() {
        double base = config.cooldown().toNanos() * Math.pow(2, Math.min(failedProbes, 30));
        double jitter = 1 + config.jitter() * (2 * random.nextDouble() - 1);
        return (long) Math.min(base * jitter, config.maxCooldown().toNanos());
    }

    private void open(long now, long forNanos, String reason) {
        long until = now + forNanos;
        if (state != CircuitState.OPEN || until > openUntil) {
            openUntil = until;
        }
        state = CircuitState.OPEN;
        lastReason = reason;
        openedRemotely = false;
    }

    private void advance(long now) {
        if (state == CircuitState.OPEN && now >= openUntil) {
            state = CircuitState.HALF_OPEN;
            probeInFlight = false;
        }
    }

    private double ramp(long now) {
        if (closedAt == Long.MIN_VALUE) {
            return 1;
        }
        double progress = (double) (now - closedAt) / config.recovery().toNanos();
        if (progress >= 1) {
            closedAt = Long.MIN_VALUE;
            return 1;
        }
        return RAMP_FLOOR + (1 - RAMP_FLOOR) * Math.max(0, progress);
    }
}
