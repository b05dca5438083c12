package ai.higress.storage;

/**
 * The database could not be reached at start-up. The message names {@code database.url} and says why; there is no
 * stack trace and no cause, because the message is all an operator needs and it is printed as is.
 */
public final class DatabaseUnavailableException extends StorageException {
    private static final long serialVersionUID = 1L;

    DatabaseUnavailableException(String message) {
        super(message);
    }
}
