package ai.higress.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script and its SHA-1 digest, the name Redis caches it under.
 *
 * @param name   a short name for logs and metrics
 * @param source the Lua source
 * @param sha    its SHA-1, lower-case hex
 */
public record RedisScript(String name, String source, String sha) {

    public static RedisScript of(String name, String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return new RedisScript(name, source, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    /** Loads a script from the class path, next to {@code anchor}. */
    public static RedisScript resource(Class<?> anchor, String file) {
        try (var in = anchor.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + file);
            }
            return of(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
