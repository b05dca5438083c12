package ai.higress.storage;

/** A row refers to a row that does not exist, such as a target naming an unknown provider (SQLSTATE 23503). */
public final class MissingReferenceException extends StorageException {
    private static final long serialVersionUID = 1L;

    MissingReferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
