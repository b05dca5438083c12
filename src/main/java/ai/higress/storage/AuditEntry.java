package ai.higress.storage;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One admin action in the audit log.
 *
 * @param id           sequence number
 * @param createdAt    when it happened
 * @param actor        admin username, or {@code break-glass}
 * @param action       e.g. {@code create}, {@code update}, {@code delete}, {@code login}
 * @param resourceType e.g. {@code provider}, {@code api_key}
 * @param resourceId   the resource's id
 * @param details      what changed, as JSON; never secrets
 */
public record AuditEntry(long id, Instant createdAt, String actor, String action, String resourceType,
                         String resourceId, JsonNode details) {
}
