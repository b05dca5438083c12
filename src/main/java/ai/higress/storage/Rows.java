package ai.higress.storage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.higress.schema.Json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.dbclient.DbColumn;
import io.helidon.dbclient.DbRow;

/**
 * Reading side of the repositories: column values as the drivers return them (PostgreSQL gives {@code Timestamp} for
 * {@code timestamptz}, H2 {@code OffsetDateTime}; sums come back as {@code Long} or {@code BigDecimal}) turned into
 * the types the records use. Money is normalised to the schema's scale of 8 so values compare equal on both engines.
 */
final class Rows {
    static final int MONEY_SCALE = 8;
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private Rows() {
    }

    static String string(DbRow row, String column) {
        return (String) required(row, column);
    }

    static int integer(DbRow row, String column) {
        return ((Number) required(row, column)).intValue();
    }

    static long longValue(DbRow row, String column) {
        return optional(row, column).map(value -> ((Number) value).longValue()).orElse(0L);
    }

    static boolean bool(DbRow row, String column) {
        return (Boolean) required(row, column);
    }

    static <E extends Enum<E>> E enumValue(DbRow row, String column, Class<E> type) {
        String code = string(row, column);
        try {
            return Enum.valueOf(type, code.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StorageException("Column " + column + " holds unknown " + type.getSimpleName() + " '" + code
                    + "'", e);
        }
    }

    static Optional<Integer> optionalInteger(DbRow row, String column) {
        return optional(row, column).map(value -> ((Number) value).intValue());
    }

    static BigDecimal money(DbRow row, String column) {
        return optionalMoney(row, column).orElse(BigDecimal.ZERO.setScale(MONEY_SCALE));
    }

    static Optional<BigDecimal> optionalMoney(DbRow row, String column) {
        return optional(row, column).map(value -> money(value instanceof BigDecimal decimal ? decimal
                : new BigDecimal(value.toString())));
    }

    static BigDecimal money(BigDecimal value) {
        return value.setScale(MONEY_SCALE, RoundingMode.HALF_EVEN);
    }

    static Instant instant(DbRow row, String column) {
        return toInstant(required(row, column));
    }

    static Optional<Instant> optionalInstant(DbRow row, String column) {
        return optional(row, column).map(Rows::toInstant);
    }

    static JsonNode json(DbRow row, String column) {
        try {
            return Json.MAPPER.readTree(string(row, column));
        } catch (JsonProcessingException e) {
            throw new StorageException("Column " + column + " holds invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    static List<String> stringList(DbRow row, String column) {
        return List.copyOf(read(row, column, STRINGS));
    }

    static Map<String, String> stringMap(DbRow row, String column) {
        return Map.copyOf(read(row, column, STRING_MAP));
    }

    private static <T> T read(DbRow row, String column, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(string(row, column), type);
        } catch (JsonProcessingException e) {
            throw new StorageException("Column " + column + " holds invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Instant toInstant(Object value) {
        return switch (value) {
            case OffsetDateTime offset -> offset.toInstant();
            case Timestamp timestamp -> timestamp.toInstant();
            case Instant instant -> instant;
            default -> throw new StorageException("Unexpected timestamp type " + value.getClass().getName());
        };
    }

    private static Object required(DbRow row, String column) {
        return optional(row, column)
                .orElseThrow(() -> new StorageException("Column " + column + " is unexpectedly null"));
    }

    private static Optional<Object> optional(DbRow row, String column) {
        DbColumn value = row.column(column);
        return value.isPresent() ? Optional.of(value.get()) : Optional.empty();
    }
}
