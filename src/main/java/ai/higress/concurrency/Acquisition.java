package ai.higress.concurrency;

/** The answer to asking for a {@link Slot}: a lease, or the cap that is full. */
public sealed interface Acquisition {

    /** A place was taken; close the lease when the attempt ends. */
    record Granted(Lease lease) implements Acquisition {
    }

    /** The cap {@code cap} is full (or cannot be counted): the target is busy right now. */
    record Busy(Cap cap) implements Acquisition {
    }
}
