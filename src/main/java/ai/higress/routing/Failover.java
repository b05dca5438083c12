package ai.higress.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import ai.higress.concurrency.ConcurrencyCaps;
import ai.higress.concurrency.ConcurrencyListener;
import ai.higress.config.RetryConfig;
import ai.higress.error.UpstreamException;
import ai.higress.observe.Exchange;

/**
 * The attempt loop. Walks the plan (then its last-resort targets), at most {@code maxAttempts} attempts within the
 * request's deadline, moving on only for retryable error kinds and only while the retry budget allows. A target whose
 * circuit does not admit a request right now is passed over; a provider whose keys are all cooling too, and a target
 * at its concurrency cap (busy; when every target was busy and none failed, the answer is 503 with Retry-After). Before another
 * attempt on the provider just tried it backs off (exponentially, with jitter); moving to another provider needs no
 * pause. When the plan asks for hedging, the first attempt runs on its own virtual thread and, if it has produced no
 * first token by the threshold, the next target starts too; the first to succeed wins and the other is cancelled.
 * Every attempt's outcome feeds the health tracker and the request's exchange, always from the request's thread.
 */
public final class Failover {
    private final int maxAttempts;
    private final HealthTracker health;
    private final RetryBudget retryBudget;
    private final RetryConfig retry;
    private final Supplier<RandomGenerator> random;
    private final RoutingListener listener;
    private final ConcurrencyCaps caps;
    private final Map<String, RetryBudget> hedgeBudgets = new ConcurrentHashMap<>();

    public Failover(int maxAttempts, HealthTracker health, RetryBudget retryBudget, RetryConfig retry,
                    Supplier<RandomGenerator> random, RoutingListener listener, ConcurrencyCaps caps) {
        this.maxAttempts = maxAttempts;
        this.health = health;
        this.retryBudget = retryBudget;
        this.retry = retry;
        this.random = random;
        this.listener = listener;
        this.caps = caps;
    }

    /** With the concurrency caps counted in this process. */
    public Failover(int maxAttempts, HealthTracker health, RetryBudget retryBudget, RetryConfig retry,
                    Supplier<RandomGenerator> random, RoutingListener listener) {
        this(maxAttempts, health, retryBudget, retry, random, listener, ConcurrencyCaps.local(ConcurrencyListener.NONE));
    }

    int maxAttempts() {
        return maxAttempts;
    }

    HealthTracker health() {
        return health;
    }

    RetryBudget retryBudget() {
        return retryBudget;
    }

    RetryConfig retry() {
        return retry;
    }

    Supplier<RandomGenerator> random() {
        return random;
    }

    RoutingListener listener() {
        return listener;
    }

    ConcurrencyCaps caps() {
        return caps;
    }

    /** One attempt: prepares the answer up to the commit point; throws {@link UpstreamException} when it fails. */
    @FunctionalInterface
    public interface Attempt<P> {
        P open(AttemptContext context);
    }

    /**
     * Runs the plan until an attempt succeeds.
     *
     * @param discard releases a prepared value nobody will use (a hedge that finished second)
     * @throws UpstreamException the failure that ended the loop
     */
    public <P> Won<P> run(RoutePlan plan, long deadlineNanos, Exchange exchange, Attempt<P> attempt,
                          Consumer<P> discard) {
        retryBudget.onRequest();
        if (plan.hedge().enabled()) {
            hedgeBudget(plan).onRequest();
        }
        return new AttemptLoop<>(this, plan, deadlineNanos, exchange, attempt, discard).execute();
    }

    RetryBudget hedgeBudget(RoutePlan plan) {
        return hedgeBudgets.computeIfAbsent(plan.alias(), alias -> new RetryBudget(
                new RetryConfig(plan.hedge().maxRatio(), 0, retry.window(), retry.backoff(), retry.maxBackoff()),
                health.ticker()));
    }
}
