/**
 * The control plane's persistence. {@link ai.higress.storage.Database} owns the HikariCP pool, runs the Flyway
 * migrations ({@code migrations/} in the source tree, {@code db/migration} in the jar) and hands out a Helidon
 * {@code DbClient}. One repository per aggregate keeps its SQL beside it as constants; every statement runs unchanged
 * on PostgreSQL and on H2 in PostgreSQL mode. Repositories take and return records, never null ({@code Optional} for
 * absent values), timestamps as {@link java.time.Instant} (microsecond precision, UTC) and JSON columns through
 * {@link ai.higress.schema.Json#MAPPER}. Constraint violations surface as
 * {@link ai.higress.storage.DuplicateKeyException} and {@link ai.higress.storage.MissingReferenceException}.
 */
package ai.higress.storage;
