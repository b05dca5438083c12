package ai.higress.storage;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items  the rows of this page, in the listing's order
 * @param total  how many rows match the filter across all pages
 * @param limit  the page size asked for
 * @param offset how many matching rows precede this page
 */
public record Page<T>(List<T> items, long total, int limit, int offset) {
    public Page {
        items = List.copyOf(items);
    }
}
