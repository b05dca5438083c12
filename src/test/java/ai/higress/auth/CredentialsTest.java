package ai.higress.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import ai.higress.config.ConfigException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Key hashing, credential encryption, password hashing and the server secret. */
class CredentialsTest {
    private static final byte[] SECRET = "a-server-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8);

    @Test
    void clientKeysAreStrongAndHashedWithTheServerSecret() {
        KeyHasher hasher = new KeyHasher(SECRET);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = hasher.newKey();
            assertTrue(key.matches("sk-hig-[0-9A-Za-z]{43}"), key);
            assertTrue(keys.add(key));
        }
        String key = keys.iterator().next();
        assertEquals(hasher.hash(key), new KeyHasher(SECRET).hash(key), "deterministic under one secret");
        assertEquals(64, hasher.hash(key).length());
        assertNotEquals(hasher.hash(key), new KeyHasher("another-server-secret-of-32-bytes-min".getBytes(
                StandardCharsets.UTF_8)).hash(key), "useless without the secret");
        assertEquals(key.substring(0, 11) + "…", KeyHasher.displayPrefix(key));
    }

    @Test
    void providerCredentialsAreSealedWithAFreshNonceAndDetectTampering() {
        SecretBox box = new SecretBox(SECRET);
        String sealed = box.seal("sk-upstream-secret");
        assertNotEquals(sealed, box.seal("sk-upstream-secret"), "a fresh nonce each time");
        assertFalse(sealed.contains("sk-upstream"));
        assertEquals("sk-upstream-secret", box.open(sealed));
        byte[] bytes = java.util.Base64.getDecoder().decode(sealed);
        bytes[bytes.length - 1] ^= 1;
        assertThrows(IllegalArgumentException.class,
                () -> box.open(java.util.Base64.getEncoder().encodeToString(bytes)));
        assertThrows(IllegalArgumentException.class, () -> new SecretBox(
                "another-server-secret-of-32-bytes-min".getBytes(StandardCharsets.UTF_8)).open(sealed));
        assertThrows(IllegalArgumentException.class, () -> box.open("not base64 !"));
    }

    @Test
    void passwordsAreSaltedAndVerifiedInConstantTime() {
        PasswordHasher hasher = new PasswordHasher();
        String stored = hasher.hash("correct horse battery".toCharArray());
        assertTrue(stored.startsWith("pbkdf2-sha256$600000$"), stored);
        assertNotEquals(stored, hasher.hash("correct horse battery".toCharArray()), "salted");
        assertTrue(hasher.verify("correct horse battery".toCharArray(), stored));
        assertFalse(hasher.verify("correct horse batterY".toCharArray(), stored));
        assertFalse(hasher.verify("x".toCharArray(), "md5$abc"));
        assertFalse(hasher.verify("x".toCharArray(), "pbkdf2-sha256$notanumber$AA==$AA=="));
    }

    @Test
    void theEmbeddedSecretIsGeneratedOnceWithOwnerOnlyPermissions(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("data/secret.key");
        byte[] first = ServerSecret.load(Optional.empty(), file, true);
        assertTrue(first.length >= ServerSecret.MIN_BYTES);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(first, ServerSecret.load(Optional.empty(), file, true), "kept across restarts");
        assertArrayEquals("configured-secret-with-enough-length-123".getBytes(StandardCharsets.UTF_8),
                ServerSecret.load(Optional.of("configured-secret-with-enough-length-123"), file, true));
        ConfigException tooShort = assertThrows(ConfigException.class,
                () -> ServerSecret.load(Optional.of("short"), file, true));
        assertTrue(tooShort.getMessage().startsWith("SECRET_KEY: must be at least 32"), tooShort.getMessage());
        ConfigException missing = assertThrows(ConfigException.class,
                () -> ServerSecret.load(Optional.empty(), dir.resolve("absent.key"), false));
        assertTrue(missing.getMessage().startsWith("SECRET_KEY: is required"), missing.getMessage());
        assertTrue(ServerSecret.generate().length() >= 64);
    }
}
