package ai.higress.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** What every {@link ResponseStore} does, run against the Redis and the in-process store. */
abstract class ResponseStoreContract {
    static final Duration DAY = Duration.ofDays(1);

    abstract ResponseStore store();

    /** Lets {@code duration} pass for the store's records. */
    abstract void elapse(Duration duration);

    static String owner() {
        return "config:test-" + UUID.randomUUID();
    }

    @Test
    void aRecordIsReadBackUntilDeleted() {
        String owner = owner();
        store().put(owner, "resp_1", "{\"a\":1}", DAY);
        assertEquals(Optional.of("{\"a\":1}"), store().get(owner, "resp_1"));
        assertTrue(store().delete(owner, "resp_1"));
        assertEquals(Optional.empty(), store().get(owner, "resp_1"));
        assertFalse(store().delete(owner, "resp_1"));
    }

    @Test
    void ownersNeverSeeEachOthersRecords() {
        String mine = owner();
        String theirs = owner();
        store().put(mine, "resp_same", "mine", DAY);
        assertEquals(Optional.empty(), store().get(theirs, "resp_same"));
        assertFalse(store().delete(theirs, "resp_same"));
        store().put(theirs, "resp_same", "theirs", DAY);
        assertEquals(Optional.of("mine"), store().get(mine, "resp_same"));
    }

    @Test
    void aRecordExpiresItsTtlAfterItWasPutWhetherReadOrNot() {
        String owner = owner();
        store().put(owner, "resp_ttl", "x", Duration.ofMillis(300));
        assertEquals(Optional.of("x"), store().get(owner, "resp_ttl"));
        elapse(Duration.ofMillis(700));
        assertEquals(Optional.empty(), store().get(owner, "resp_ttl"));
    }

    @Test
    void aKeyIdCannotEndTheHashTagEarly() {
        String owner = "config:odd}key%" + UUID.randomUUID();
        store().put(owner, "resp_1", "odd", DAY);
        assertEquals(Optional.of("odd"), store().get(owner, "resp_1"));
        assertEquals(Optional.empty(), store().get(owner.replace("}", "%7D"), "resp_1"));
    }

    @Test
    void aClaimNamesTheKeyAnIdWasHandedTo() {
        String owner = owner();
        String id = "resp_claimed_" + UUID.randomUUID();
        assertEquals(Optional.empty(), store().claimant(id));
        store().claim(id, owner, DAY);
        assertEquals(Optional.of(owner), store().claimant(id));
        assertEquals(Optional.empty(), store().get(owner, id), "a claim is no record");
        store().claim(id + "-short", owner, Duration.ofMillis(300));
        elapse(Duration.ofMillis(700));
        assertEquals(Optional.empty(), store().claimant(id + "-short"));
    }
}
