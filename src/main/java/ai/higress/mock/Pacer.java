package ai.higress.mock;

import java.time.Duration;

/** The pauses that make the mock feel like a model: latency, time to first token, time between tokens. */
final class Pacer {

    /** How to wait; tests replace it to step a stream one token at a time. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Duration firstTokenDelay;
    private final Duration tokenInterval;
    private final Sleeper sleeper;

    Pacer(MockUpstreamConfig config, Sleeper sleeper) {
        this.firstTokenDelay = config.extraLatency().plus(config.firstTokenDelay());
        this.tokenInterval = config.tokenInterval();
        this.sleeper = sleeper;
    }

    /** The wait of a non-streamed answer: the time to first token plus one interval per token. */
    void awaitWholeAnswer(int tokens) throws InterruptedException {
        pause(firstTokenDelay.plus(tokenInterval.multipliedBy(tokens)));
    }

    void awaitFirstToken() throws InterruptedException {
        pause(firstTokenDelay);
    }

    void awaitNextToken() throws InterruptedException {
        pause(tokenInterval);
    }

    private void pause(Duration duration) throws InterruptedException {
        if (duration.isPositive()) {
            sleeper.sleep(duration);
        }
    }
}
