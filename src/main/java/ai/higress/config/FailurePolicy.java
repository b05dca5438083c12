package ai.higress.config;

/** What a limit does when its shared store (Redis) cannot be reached. */
public enum FailurePolicy {
    /** Admit the request without counting it; the gap is metered and logged. */
    FAIL_OPEN,
    /** Refuse the request with 503 until the store is back. */
    FAIL_CLOSED
}
