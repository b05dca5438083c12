package ai.higress.routing;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.Target;

/**
 * The attempt loop: tries the plan's targets in order, at most {@code maxAttempts} of them, within the request's
 * deadline. Only retryable error kinds move on to the next target; a client-caused error is returned at once.
 */
public final class Failover {
    private final int maxAttempts;

    public Failover(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /** One attempt against one target; throws {@link UpstreamException} when it fails. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run(Target target, int attemptNumber);
    }

    public <T> T run(RoutePlan plan, long deadlineNanos, Attempt<T> attempt) {
        UpstreamException last = null;
        int attempted = 0;
        for (Target target : plan.targets()) {
            if (attempted == maxAttempts) {
                break;
            }
            if (System.nanoTime() >= deadlineNanos) {
                last = UpstreamException.transport(ErrorKind.TIMEOUT, "the request deadline passed after "
                        + attempted + " attempt(s)");
                break;
            }
            attempted++;
            try {
                return attempt.run(target, attempted);
            } catch (UpstreamException failure) {
                if (!failure.kind().retryable()) {
                    throw failure;
                }
                last = failure;
            }
        }
        if (last == null) {
            throw UpstreamException.transport(ErrorKind.OVERLOADED,
                    "no target is available for model '" + plan.alias() + "'");
        }
        throw last;
    }
}
