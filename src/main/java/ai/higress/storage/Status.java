package ai.higress.storage;

/** Whether a provider or a provider key is used; stored as {@code active} or {@code disabled}. */
public enum Status {
    ACTIVE,
    DISABLED
}
