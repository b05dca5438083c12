package ai.higress.mock;

import java.util.concurrent.atomic.AtomicLong;

/** What the mock counts across all its generation endpoints: requests (which also numbers them) and aborted streams. */
final class Traffic {

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong abortedStreams = new AtomicLong();

    /** Counts a request and returns its number, from 1. */
    long nextRequest() {
        return requests.incrementAndGet();
    }

    void streamAborted() {
        abortedStreams.incrementAndGet();
    }

    long requestCount() {
        return requests.get();
    }

    long abortedStreamCount() {
        return abortedStreams.get();
    }
}
