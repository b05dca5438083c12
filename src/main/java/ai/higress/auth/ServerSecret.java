package ai.higress.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import ai.higress.config.ConfigException;

/**
 * The server secret that keys the API-key HMAC and the encryption of provider credentials. Production sets
 * {@code SECRET_KEY}; the embedded default generates one and keeps it in {@code ./data/secret.key}, readable by the
 * owner only.
 */
public final class ServerSecret {
    static final int MIN_BYTES = 32;

    private ServerSecret() {
    }

    /** A new strong secret, base64 (48 random bytes), for an operator to store. */
    public static String generate() {
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * The configured secret, or the one kept in {@code file}, created there when {@code generateIfMissing}.
     *
     * @throws ConfigException when no usable secret is available
     */
    public static byte[] load(Optional<String> configured, Path file, boolean generateIfMissing) {
        if (configured.isPresent()) {
            byte[] secret = configured.get().strip().getBytes(StandardCharsets.UTF_8);
            if (secret.length < MIN_BYTES) {
                throw new ConfigException("SECRET_KEY", "must be at least " + MIN_BYTES
                        + " characters; generate one with POST /system/secret-key/generate or `openssl rand -base64 48`");
            }
            return secret;
        }
        if (Files.isReadable(file)) {
            return read(file);
        }
        if (!generateIfMissing) {
            throw new ConfigException("SECRET_KEY", "is required with an external database (it keys API-key hashes "
                    + "and the encryption of provider credentials)");
        }
        return create(file);
    }

    /** A sub-key for one purpose, so the HMAC and the cipher never share key material. */
    static byte[] derive(byte[] secret, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    /** Owner-only permissions where the file system has POSIX permissions; none requested elsewhere. */
    private static FileAttribute<?>[] ownerOnly(String permissions) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }

    private static byte[] read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static byte[] create(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(parent)) {
                Files.createDirectories(parent, ownerOnly("rwx------"));
            }
            String secret = generate();
            try {
                Files.createFile(file, ownerOnly("rw-------"));
            } catch (FileAlreadyExistsException e) {
                return read(file);
            }
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
            return secret.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }
}
