package ai.higress.stream;

import java.io.IOException;

/** The upstream's event stream broke the framing rules or a configured limit. */
public final class SseFramingException extends IOException {
    private static final long serialVersionUID = 1L;

    public SseFramingException(String message) {
        super(message);
    }
}
