package ai.higress.storage;

/** An insert or update collided with a primary key or a unique column (SQLSTATE 23505). */
public final class DuplicateKeyException extends StorageException {
    private static final long serialVersionUID = 1L;

    DuplicateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
