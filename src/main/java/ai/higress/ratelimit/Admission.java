package ai.higress.ratelimit;

import java.util.Map;
import java.util.Optional;

/**
 * An admitted request: the headers to send and the tokens to reconcile when it ends.
 *
 * @param headers     the {@code x-ratelimit-*} headers (empty when the key is unlimited or the store was down)
 * @param reservation the tokens reserved under a tpm limit
 */
public record Admission(Map<String, String> headers, Optional<Reservation> reservation) {
    public static final Admission UNLIMITED = new Admission(Map.of(), Optional.empty());

    public Admission {
        headers = Map.copyOf(headers);
    }
}
