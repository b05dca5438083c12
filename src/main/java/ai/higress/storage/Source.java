package ai.higress.storage;

/** Where a provider or logical model was defined; stored as {@code config} or {@code database}. */
public enum Source {
    /** From the configuration file: read-only through the admin API, rewritten at each start. */
    CONFIG,
    /** Created through the admin API. */
    DATABASE
}
