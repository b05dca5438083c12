package ai.higress.responses;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import ai.higress.redis.RedisScript;
import ai.higress.redis.RedisStore;

/**
 * Stored responses shared by every replica: one string per response, {@code higress:response:{<keyId>}:<responseId>},
 * expiring by itself (the key id is the hash tag, so a key's responses share a cluster slot), and one string per
 * claimed id, {@code higress:response-owner:<responseId>}, holding the key id it was handed to.
 */
public final class RedisResponseStore implements ResponseStore {
    static final String PREFIX = "higress:response:";
    static final String CLAIM_PREFIX = "higress:response-owner:";
    private static final RedisScript PUT = RedisScript.resource(RedisResponseStore.class, "put.lua");
    private static final RedisScript GET = RedisScript.resource(RedisResponseStore.class, "get.lua");
    private static final RedisScript DELETE = RedisScript.resource(RedisResponseStore.class, "delete.lua");

    private final RedisStore store;

    public RedisResponseStore(RedisStore store) {
        this.store = store;
    }

    @Override
    public void put(String owner, String id, String record, Duration ttl) {
        store.eval(PUT, List.of(key(owner, id)), List.of(record, Long.toString(ttl.toMillis())));
    }

    @Override
    public Optional<String> get(String owner, String id) {
        return Optional.ofNullable(store.eval(GET, List.of(key(owner, id)), List.of())).map(String.class::cast);
    }

    @Override
    public boolean delete(String owner, String id) {
        return ((Number) store.eval(DELETE, List.of(key(owner, id)), List.of())).longValue() > 0;
    }

    @Override
    public void claim(String id, String owner, Duration ttl) {
        store.eval(PUT, List.of(CLAIM_PREFIX + id), List.of(owner, Long.toString(ttl.toMillis())));
    }

    @Override
    public Optional<String> claimant(String id) {
        return Optional.ofNullable(store.eval(GET, List.of(CLAIM_PREFIX + id), List.of())).map(String.class::cast);
    }

    /** The record's key; '}' and '%' in the key id are escaped so the hash tag cannot end early. */
    static String key(String owner, String id) {
        return PREFIX + "{" + owner.replace("%", "%25").replace("}", "%7D") + "}:" + id;
    }
}
