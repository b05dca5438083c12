package ai.higress.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Client API keys: generation ({@code sk-hig-} + 43 base62 characters, 256 random bits) and the HMAC-SHA256 digest
 * under the server secret that is all the database stores. Without the server secret a stolen database cannot be
 * used to test guesses offline.
 */
public final class KeyHasher {
    public static final String PREFIX = "sk-hig-";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int RANDOM_CHARACTERS = 43;

    private final Mac prototype;
    private final SecureRandom random = new SecureRandom();

    public KeyHasher(byte[] serverSecret) {
        try {
            this.prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(serverSecret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    /** A new client key. Shown once to whoever creates it, never stored. */
    public String newKey() {
        StringBuilder key = new StringBuilder(PREFIX);
        for (int i = 0; i < RANDOM_CHARACTERS; i++) {
            key.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        return key.toString();
    }

    /** Hex HMAC-SHA256 of {@code apiKey}. */
    public String hash(String apiKey) {
        try {
            // a clone of the initialised prototype costs far less than getInstance + init on every request
            Mac mac = (Mac) prototype.clone();
            return HexFormat.of().formatHex(mac.doFinal(apiKey.getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the HmacSHA256 provider cannot be cloned", e);
        }
    }

    /** What lists show instead of the key: its prefix and first four random characters. */
    public static String displayPrefix(String apiKey) {
        return apiKey.substring(0, Math.min(apiKey.length(), PREFIX.length() + 4)) + "…";
    }
}
