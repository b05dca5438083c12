package ai.higress.routing;

/** The circuit of a target or key. */
public enum CircuitState {
    /** Serving normally (possibly still ramping up after a recovery). */
    CLOSED,
    /** Cooling down after failures, a 429 or an auth failure; skipped until the cooldown ends. */
    OPEN,
    /** Cooldown over: one probe request at a time decides whether it closes again. */
    HALF_OPEN;

    /** 0 closed, 1 half-open, 2 open: the value of the circuit-state gauge. */
    public int gaugeValue() {
        return switch (this) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }
}
