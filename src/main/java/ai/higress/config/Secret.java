package ai.higress.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/** A secret value (API key, token). Never printed: {@link #toString()} is redacted; read it with {@link #reveal()}. */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value);
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    public String reveal() {
        return value;
    }

    /** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
    public boolean matches(String candidate) {
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    /** A short hint for operators ({@code sk-a…wxyz}); never enough to use the secret. */
    public String hint() {
        if (value.length() < 12) {
            return "****";
        }
        return value.substring(0, 4) + "…" + value.substring(value.length() - 4);
    }

    @Override
    public String toString() {
        return "Secret[****]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), secret.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
