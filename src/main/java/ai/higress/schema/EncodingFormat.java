package ai.higress.schema;

import java.util.Optional;

/** How an embeddings answer carries its vectors ({@code encoding_format}). */
public enum EncodingFormat {
    /** JSON arrays of numbers (the default). */
    FLOAT,
    /** Base64 of the little-endian float32 values, as OpenAI sends it. */
    BASE64;

    public String wireName() {
        return name().toLowerCase();
    }

    static Optional<EncodingFormat> of(String wireName) {
        for (EncodingFormat format : values()) {
            if (format.wireName().equals(wireName)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}
