package ai.higress.storage;

/**
 * A database operation that failed. Subclasses name the failures a caller can act on: a duplicate key, a reference to
 * a missing row, an unreachable database.
 */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    StorageException(String message) {
        super(message, null, false, false);
    }
}
