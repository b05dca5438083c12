package ai.higress.storage;

import java.time.Instant;

/**
 * A stored client API key. Only an HMAC of the secret is kept; the secret itself is never stored.
 *
 * @param id            key id
 * @param secretHash    hex HMAC-SHA256 of the secret under the server secret (unique)
 * @param displayPrefix what lists show, e.g. {@code sk-hig-AbCd…}
 * @param settings      what an admin can change
 * @param createdAt     when it was created
 * @param updatedAt     when its settings last changed
 */
public record ApiKeyRow(String id, String secretHash, String displayPrefix, ApiKeySettings settings,
                        Instant createdAt, Instant updatedAt) {
}
