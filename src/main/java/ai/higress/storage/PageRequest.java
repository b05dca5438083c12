package ai.higress.storage;

/**
 * Which page of a listing to read.
 *
 * @param limit  rows per page, 1 to {@value #MAX_LIMIT}
 * @param offset matching rows to skip, 0 or more
 */
public record PageRequest(int limit, int offset) {
    public static final int MAX_LIMIT = 1000;
    public static final PageRequest FIRST_100 = new PageRequest(100, 0);

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
    }

    <T> Page<T> page(java.util.List<T> items, long total) {
        return new Page<>(items, total, limit, offset);
    }
}
