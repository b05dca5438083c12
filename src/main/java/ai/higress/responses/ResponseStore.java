package ai.higress.responses;

import java.time.Duration;
import java.util.Optional;

/**
 * Where stored responses live. {@code owner} is the caller's key id and scopes every record, so one key never reads,
 * continues or deletes another key's response; claims, which name the owner of an id, are looked up by the id alone.
 * A record or claim lives {@code ttl} from when it was put; reading does not extend it.
 */
public interface ResponseStore {

    /** Stores (or replaces) the record of response {@code id}. */
    void put(String owner, String id, String record, Duration ttl);

    /** The record of response {@code id}; empty when there is none (or it expired). */
    Optional<String> get(String owner, String id);

    /** Removes the record; whether there was one. */
    boolean delete(String owner, String id);

    /**
     * Notes, for {@code ttl}, that response {@code id} was handed to {@code owner}, whether or not its record is kept:
     * an upstream may hold the response too, and must not be asked to continue it for anyone else.
     */
    void claim(String id, String owner, Duration ttl);

    /** The key response {@code id} was handed to, if the gateway handed it out. */
    Optional<String> claimant(String id);
}
