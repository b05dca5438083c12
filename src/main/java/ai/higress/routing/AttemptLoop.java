package ai.higress.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import ai.higress.concurrency.Acquisition;
import ai.higress.concurrency.ConcurrencyCaps;
import ai.higress.concurrency.Lease;
import ai.higress.concurrency.Cap;
import ai.higress.config.ProviderKey;
import ai.higress.config.RetryConfig;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.observe.AttemptRecord;
import ai.higress.observe.Exchange;
import ai.higress.provider.Target;

/**
 * The state of one request's attempt loop (see {@link Failover}): the plan cursor, attempts made, the last failure,
 * and the optional hedged race of the first two attempts. Used by the request's thread only; attempts that run on
 * their own threads hand their results back through a queue.
 */
final class AttemptLoop<P> {
    private static final System.Logger LOGGER = System.getLogger(AttemptLoop.class.getName());
    /** Concurrency frees up as requests finish, typically within seconds: a short, fixed hint. */
    private static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(1);

    private final Failover failover;
    private final int maxAttempts;
    private final HealthTracker health;
    private final RetryBudget retryBudget;
    private final RetryConfig retry;
    private final RoutingListener listener;
    private final ConcurrencyCaps caps;
    private final RandomGenerator generator;
    private final RoutePlan plan;
    private final long deadline;
    private final Exchange exchange;
    private final Failover.Attempt<P> attempt;
    private final Consumer<P> discard;
    private final List<Target> order = new ArrayList<>();
    private int cursor;
    private int attempts;
    private int sameProviderRepeats;
    private String lastProvider = "";
    private UpstreamException last;
    private boolean passedOverBusy;

    AttemptLoop(Failover failover, RoutePlan plan, long deadline, Exchange exchange, Failover.Attempt<P> attempt,
                Consumer<P> discard) {
        this.failover = failover;
        this.maxAttempts = failover.maxAttempts();
        this.health = failover.health();
        this.retryBudget = failover.retryBudget();
        this.retry = failover.retry();
        this.listener = failover.listener();
        this.caps = failover.caps();
        this.generator = failover.random().get();
        this.plan = plan;
        this.deadline = deadline;
        this.exchange = exchange;
        this.attempt = attempt;
        this.discard = discard;
        order.addAll(plan.targets());
        order.addAll(plan.lastResort());
    }

    Won<P> execute() {
        if (plan.hedge().enabled()) {
            Optional<Won<P>> won = hedged();
            if (won.isPresent()) {
                return won.get();
            }
        }
        while (attempts < maxAttempts) {
            Optional<Acquired> target = next();
            if (target.isEmpty()) {
                break;
            }
            Finished<P> finished = runHere(target.get(), false);
            if (finished.succeeded()) {
                return won(finished);
            }
            failed(finished);
        }
        throw finalFailure();
    }

    /** The first attempt on its own thread, and a hedge if it is slow; empty when both failed. */
    private Optional<Won<P>> hedged() {
        Optional<Acquired> primary = next();
        if (primary.isEmpty()) {
            return Optional.empty();
        }
        BlockingQueue<Finished<P>> results = new LinkedBlockingQueue<>();
        List<Running<P>> running = new ArrayList<>();
        running.add(start(primary.get(), false, results));
        Finished<P> finished = poll(results, Math.min(threshold(primary.get().target()),
                deadline - health.ticker().nanos()));
        if (finished == null && attempts < maxAttempts && failover.hedgeBudget(plan).tryRetry()) {
            Optional<Acquired> second = next(false);
            if (second.isPresent()) {
                listener.hedge(plan.alias());
                running.add(start(second.get(), true, results));
            }
        }
        while (!running.isEmpty()) {
            if (finished == null) {
                finished = poll(results, deadline - health.ticker().nanos());
            }
            if (finished == null) {
                cancelAll(running, results);
                last = UpstreamException.transport(ErrorKind.TIMEOUT, "the request deadline passed");
                throw last;
            }
            Finished<P> done = finished;
            running.removeIf(candidate -> candidate.context() == done.context());
            if (done.succeeded()) {
                cancelAll(running, results);
                return Optional.of(won(done));
            }
            try {
                failed(done);
            } catch (UpstreamException notRetryable) {
                cancelAll(running, results);
                throw notRetryable;
            }
            finished = null;
        }
        return Optional.empty();
    }

    private Running<P> start(Acquired target, boolean hedge, BlockingQueue<Finished<P>> results) {
        AttemptContext context = begin(target, hedge);
        Exchange.AttemptSpan span = exchange.startAttempt();
        Thread.ofVirtual().name("attempt-" + exchange.requestId() + "-" + context.number()).start(() -> {
            context.runningOn(Thread.currentThread());
            Finished<P> finished = execute(context, span);
            if (finished.succeeded() && !context.unlessCancelled(() -> results.add(finished))) {
                discard.accept(finished.value());
            } else if (!finished.succeeded()) {
                results.add(finished);
            }
        });
        return new Running<>(context, span);
    }

    private Finished<P> runHere(Acquired target, boolean hedge) {
        AttemptContext context = begin(target, hedge);
        return execute(context, exchange.startAttempt());
    }

    private AttemptContext begin(Acquired acquired, boolean hedge) {
        Target target = acquired.target();
        attempts++;
        lastProvider = target.providerId();
        health.target(target).inFlight().incrementAndGet();
        return new AttemptContext(exchange.correlationId(), target, attempts, hedge, health.ticker().nanos(),
                acquired.lease());
    }

    private Finished<P> execute(AttemptContext context, Exchange.AttemptSpan span) {
        try {
            P value = attempt.open(context);
            return new Finished<>(context, span, value, null, health.ticker().nanos() - context.startNanos());
        } catch (UpstreamException failure) {
            return new Finished<>(context, span, null, failure, 0);
        } catch (RuntimeException unexpected) {
            LOGGER.log(System.Logger.Level.WARNING, "attempt on " + context.target().label() + " failed", unexpected);
            return new Finished<>(context, span, null, UpstreamException.transport(ErrorKind.PROTOCOL,
                    "the attempt failed unexpectedly"), 0);
        }
    }

    private Won<P> won(Finished<P> finished) {
        health.onSuccess(finished.context().target(), finished.latencyNanos());
        return new Won<>(finished.value(), finished.context(), finished.span(), exchange, health,
                finished.latencyNanos());
    }

    private void failed(Finished<P> finished) {
        AttemptContext context = finished.context();
        UpstreamException failure = finished.failure();
        context.releaseLease();
        health.target(context.target()).inFlight().decrementAndGet();
        health.onFailure(context.target(), failure.kind(), failure.retryAfter());
        record(finished, failure.kind().name().toLowerCase());
        if (!failure.kind().retryable()) {
            throw failure;
        }
        last = failure;
        listener.failover(plan.alias());
    }

    private void cancelAll(List<Running<P>> running, BlockingQueue<Finished<P>> results) {
        for (Running<P> loser : running) {
            loser.context().cancel();
            loser.context().releaseLease();
            health.onCancelled(loser.context().target());
            health.target(loser.context().target()).inFlight().decrementAndGet();
            exchange.attempt(loser.span(), new AttemptRecord(loser.context().target().providerId(),
                    loser.context().target().upstreamModel(), loser.context().target().key().id(),
                    loser.context().status(), "cancelled", loser.context().hedge(),
                    health.ticker().nanos() - loser.context().startNanos(), 0));
        }
        Finished<P> stray;
        while ((stray = results.poll()) != null) {
            if (stray.succeeded()) {
                discard.accept(stray.value());
            }
        }
    }

    private void record(Finished<P> finished, String outcome) {
        AttemptContext context = finished.context();
        exchange.attempt(finished.span(), new AttemptRecord(context.target().providerId(),
                context.target().upstreamModel(), context.target().key().id(), context.status(), outcome,
                context.hedge(), health.ticker().nanos() - context.startNanos(), 0));
    }

    /** The next target that may be tried now, with a key; empty when the plan is exhausted or retries denied. */
    private Optional<Acquired> next() {
        return next(true);
    }

    /** @param spendRetryBudget false for a hedge, which has its own budget */
    private Optional<Acquired> next(boolean spendRetryBudget) {
        if (spendRetryBudget && attempts > 0 && !retryBudget.tryRetry()) {
            listener.retryDenied(plan.alias());
            return Optional.empty();
        }
        int passes = 0;
        while (passes <= maxAttempts) {
            if (cursor == order.size()) {
                if (last == null || attempts == 0 || order.isEmpty()) {
                    return Optional.empty();
                }
                cursor = 0;
                passes++;
            }
            if (health.ticker().nanos() >= deadline) {
                last = UpstreamException.transport(ErrorKind.TIMEOUT,
                        "the request deadline passed after " + attempts + " attempt(s)");
                return Optional.empty();
            }
            int index = cursor++;
            Optional<Acquired> acquired = acquire(order.get(index), index >= plan.targets().size());
            if (acquired.isPresent()) {
                backOffIfSameProvider(acquired.get().target());
                return acquired;
            }
        }
        return Optional.empty();
    }

    /**
     * The target with a key and a place under the concurrency caps, or empty when its circuit refuses, its keys are
     * all cooling, or it is busy. A key at its own cap is passed over for another key of the provider; a provider at
     * its cap is passed over entirely. Probe slots claimed on the way are given back.
     */
    private Optional<Acquired> acquire(Target target, boolean lastResort) {
        long now = health.ticker().nanos();
        CircuitBreaker breaker = health.target(target);
        if (!lastResort && !breaker.tryAcquire(now)) {
            return Optional.empty();
        }
        java.util.Set<String> busyKeys = new java.util.HashSet<>();
        Optional<ProviderKey> key = health.pickKey(target.provider(), now, generator);
        if (key.isEmpty() && lastResort) {
            key = Optional.of(health.leastCooledKey(target.provider(), now));
        }
        while (key.isPresent()) {
            Acquisition place = caps.acquire(target.provider(), key.get());
            if (place instanceof Acquisition.Granted granted) {
                return Optional.of(new Acquired(target.withKey(key.get()), granted.lease()));
            }
            passedOverBusy = true;
            if (!key.get().isNone()) {
                health.key(key.get()).onCancelled();
            }
            if (((Acquisition.Busy) place).cap() != Cap.KEY) {
                break;
            }
            busyKeys.add(key.get().id());
            key = health.pickKey(target.provider(), now, generator, busyKeys);
        }
        if (!lastResort) {
            breaker.onCancelled();
        }
        return Optional.empty();
    }

    private void backOffIfSameProvider(Target target) {
        if (attempts == 0 || !target.providerId().equals(lastProvider)) {
            sameProviderRepeats = 0;
            return;
        }
        double pause = Math.min(retry.maxBackoff().toNanos(),
                retry.backoff().toNanos() * Math.pow(2, sameProviderRepeats++));
        long nanos = (long) (pause * (0.5 + generator.nextDouble() / 2));
        long left = deadline - health.ticker().nanos();
        if (nanos > 0 && left > nanos) {
            try {
                Thread.sleep(Duration.ofNanos(nanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private long threshold(Target primary) {
        Duration after = plan.hedge().after();
        if (plan.hedge().adaptive()) {
            after = health.target(primary).latencyPercentile(95)
                    .filter(p95 -> p95.compareTo(plan.hedge().after()) > 0).orElse(plan.hedge().after());
        }
        return after.toNanos();
    }

    private Finished<P> poll(BlockingQueue<Finished<P>> results, long nanos) {
        try {
            return nanos <= 0 ? results.poll() : results.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private UpstreamException finalFailure() {
        if (last != null) {
            return last;
        }
        if (passedOverBusy) {
            return UpstreamException.busy("Every target of model '" + plan.alias() + "' is at its concurrency "
                    + "limit right now. Retry after the time in the Retry-After header.", BUSY_RETRY_AFTER);
        }
        return UpstreamException.transport(ErrorKind.OVERLOADED,
                "no target of model '" + plan.alias() + "' can take a request right now");
    }

    /** A target that may be tried now: with its key, holding its place under the concurrency caps. */
    private record Acquired(Target target, Lease lease) {
    }

    /** An attempt running on its own thread. */
    private record Running<P>(AttemptContext context, Exchange.AttemptSpan span) {
    }

    /** How an attempt ended: a value, or a failure. */
    private record Finished<P>(AttemptContext context, Exchange.AttemptSpan span, P value, UpstreamException failure,
                               long latencyNanos) {
        boolean succeeded() {
            return failure == null;
        }
    }
}
