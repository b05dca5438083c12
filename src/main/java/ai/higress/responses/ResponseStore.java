package ai.higress.responses;

import java.time.Duration;
import java.util.Optional;

/**
 * Where stored responses live. {@code owner} is the caller's key id and scopes every operation, so one key never reads,
 * continues or deletes another key's response. A record lives {@code ttl} from when it was put; reading does not
 * extend it.
 */
public interface ResponseStore {

    /** Stores (or replaces) the record of response {@code id}. */
    void put(String owner, String id, String record, Duration ttl);

    /** The record of response {@code id}; empty when there is none (or it expired). */
    Optional<String> get(String owner, String id);

    /** Removes the record; whether there was one. */
    boolean delete(String owner, String id);
}
