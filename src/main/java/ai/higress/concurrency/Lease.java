package ai.higress.concurrency;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A place under a cap, held by one attempt until {@link #close()} (idempotent: the attempt's several end paths may
 * each close it).
 */
public final class Lease implements AutoCloseable {
    /** Held by attempts on providers with no cap to count against (tests without caps). */
    public static final Lease NONE = new Lease(() -> { });

    private final Runnable release;
    private final AtomicBoolean released = new AtomicBoolean();

    Lease(Runnable release) {
        this.release = release;
    }

    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            release.run();
        }
    }
}
