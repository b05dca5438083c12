package ai.higress.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * A {@code WHERE} clause assembled from fixed condition fragments with one positional parameter each, and the
 * paginated listing built on it (a {@code COUNT(*)} for the total, then one page). Only constant SQL fragments are
 * concatenated; every value is a bound parameter.
 */
final class Where {
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();

    /** Adds {@code condition} (with one {@code ?}) bound to {@code value}, when present. */
    <T> Where and(Optional<T> value, String condition, Function<T, Object> binding) {
        value.ifPresent(present -> {
            conditions.add(condition);
            params.add(binding.apply(present));
        });
        return this;
    }

    <T> Where and(Optional<T> value, String condition) {
        return and(value, condition, present -> present);
    }

    String sql() {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    List<Object> params() {
        return List.copyOf(params);
    }

    /**
     * One page of {@code select + WHERE + orderBy} and the total of {@code SELECT COUNT(*) FROM table + WHERE}.
     *
     * @param select  {@code SELECT columns FROM table}
     * @param table   the table, for the count
     * @param orderBy {@code ORDER BY ...}, which must be a total order for stable pages
     */
    <T> Page<T> page(DbExecute execute, String select, String table, String orderBy, PageRequest page,
                     Function<DbRow, T> mapper) {
        long total = execute.get("SELECT COUNT(*) AS total FROM " + table + sql(), params.toArray())
                .map(row -> Rows.longValue(row, "total"))
                .orElse(0L);
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(page.limit());
        pageParams.add(page.offset());
        try (Stream<DbRow> rows = execute.createQuery(select + sql() + " " + orderBy + " LIMIT ? OFFSET ?")
                .params(pageParams).execute()) {
            return page.page(rows.map(mapper).toList(), total);
        }
    }
}
