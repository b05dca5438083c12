package ai.higress.storage;

/** What an admin user may do; stored as {@code admin} or {@code viewer}. */
public enum AdminRole {
    /** Read and change everything. */
    ADMIN,
    /** Read only. */
    VIEWER
}
