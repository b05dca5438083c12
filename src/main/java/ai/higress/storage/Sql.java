package ai.higress.storage;

import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import ai.higress.schema.Json;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;

/**
 * Writing side of the repositories: parameter values in the form both drivers bind the same way, transactions, and the
 * translation of constraint violations into exceptions (SQLSTATE 23505 for duplicates on both engines; a missing
 * referenced row is 23503 on PostgreSQL and 23506 on H2).
 */
final class Sql {
    private Sql() {
    }

    /** Instants are stored as UTC {@code TIMESTAMP WITH TIME ZONE} at microsecond precision (what both keep). */
    static OffsetDateTime timestamp(Instant instant) {
        return micros(instant).atOffset(ZoneOffset.UTC);
    }

    static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** An enum constant as stored: its name in lower case ({@code ACTIVE} is {@code active}). */
    static String code(Enum<?> constant) {
        return constant.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** An optional value as a nullable JDBC parameter. */
    static Object nullable(Optional<?> value) {
        return value.map(v -> v instanceof Instant instant ? timestamp(instant) : v).orElse(null);
    }

    static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write JSON column: " + e.getOriginalMessage(), e);
        }
    }

    /** Named parameters that may hold null (unlike {@link Map#of}). */
    static Map<String, Object> params(Object... namesAndValues) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            params.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return params;
    }

    /** {@code LIKE} pattern matching {@code text} anywhere, with {@code !} as the escape character. */
    static String containsPattern(String text) {
        return "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    static <T> T inTransaction(DbClient db, Function<DbTransaction, T> work) {
        DbTransaction tx = db.transaction();
        T result;
        try {
            result = work.apply(tx);
        } catch (RuntimeException e) {
            rollback(tx, e);
            throw translate(e);
        }
        try {
            tx.commit();
        } catch (RuntimeException e) {
            throw translate(e);
        }
        return result;
    }

    /** Runs one statement outside a transaction, translating constraint violations. */
    static <T> T run(java.util.function.Supplier<T> statement) {
        try {
            return statement.get();
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    static RuntimeException translate(RuntimeException failure) {
        if (failure instanceof StorageException) {
            return failure;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String message = firstLine(sql.getMessage());
                return switch (sql.getSQLState()) {
                    case "23505" -> new DuplicateKeyException(message, failure);
                    case "23503", "23506" -> new MissingReferenceException(message, failure);
                    default -> new StorageException(message, failure);
                };
            }
        }
        return failure;
    }

    /** {@code count} rows of {@code columns} question marks: {@code (?, ?), (?, ?)}. */
    static String valueRows(int columns, int count) {
        String row = "(" + String.join(", ", java.util.Collections.nCopies(columns, "?")) + ")";
        return String.join(", ", java.util.Collections.nCopies(count, row));
    }

    static List<Object> flatten(List<List<Object>> rows) {
        return rows.stream().flatMap(List::stream).toList();
    }

    /**
     * Rolls back after a failure. When a statement itself failed, Helidon has already closed the transaction's
     * connection, and HikariCP rolled the uncommitted work back on that close; the explicit rollback then finds the
     * connection closed, which is expected and not worth reporting.
     */
    private static void rollback(DbTransaction tx, RuntimeException failure) {
        try {
            tx.rollback();
        } catch (RuntimeException e) {
            if (!(failure instanceof io.helidon.dbclient.DbClientException)) {
                failure.addSuppressed(e);
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "database error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
