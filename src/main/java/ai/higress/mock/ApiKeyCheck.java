package ai.higress.mock;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Lets a request through only with the key, where its dialect carries it: {@code Authorization: Bearer <key>} for
 * OpenAI, {@code x-api-key} for Anthropic, {@code x-goog-api-key} (or the {@code key} query parameter) for Gemini. A
 * missing or wrong key gets the answer the vendor gives: 401 from OpenAI and Anthropic, 403 without a key and 400
 * {@code API_KEY_INVALID} with a wrong one from Google.
 */
final class ApiKeyCheck implements Filter {

    private static final String BEARER = "Bearer ";
    private static final HeaderName X_API_KEY = HeaderNames.create("x-api-key");
    private static final HeaderName X_GOOG_API_KEY = HeaderNames.create("x-goog-api-key");

    private final byte[] expected;
    private final ErrorEnvelope errors;

    ApiKeyCheck(String apiKey, ErrorEnvelope errors) {
        this.expected = apiKey.getBytes(StandardCharsets.UTF_8);
        this.errors = errors;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Dialect dialect = Dialect.of(req);
        Optional<String> presented = presented(req, dialect);
        if (presented.isEmpty()) {
            errors.send(res, dialect, missing(dialect));
        } else if (!matches(presented.get())) {
            errors.send(res, dialect, wrong(dialect));
        } else {
            chain.proceed();
        }
    }

    /** The key the request carries where its dialect puts it; a bearer header without the scheme counts as none. */
    private static Optional<String> presented(RoutingRequest req, Dialect dialect) {
        return switch (dialect) {
            case OPENAI -> req.headers().first(HeaderNames.AUTHORIZATION)
                    .map(value -> value.regionMatches(true, 0, BEARER, 0, BEARER.length())
                            ? value.substring(BEARER.length()).trim() : "");
            case ANTHROPIC -> req.headers().first(X_API_KEY);
            case GEMINI -> req.headers().first(X_GOOG_API_KEY).or(() -> req.query().first("key").asOptional());
        };
    }

    private static MockApiError missing(Dialect dialect) {
        return switch (dialect) {
            case OPENAI -> MockApiError.invalidApiKey("You didn't provide an API key. You need to provide your API "
                    + "key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
            case ANTHROPIC -> MockApiError.invalidApiKey("x-api-key header is required");
            case GEMINI -> MockApiError.unregisteredCaller("Method doesn't allow unregistered callers (callers "
                    + "without established identity). Please use API Key or other form of API consumer identity to "
                    + "call this API.");
        };
    }

    private static MockApiError wrong(Dialect dialect) {
        return switch (dialect) {
            case OPENAI -> MockApiError.invalidApiKey("Incorrect API key provided.");
            case ANTHROPIC -> MockApiError.invalidApiKey("invalid x-api-key");
            case GEMINI -> MockApiError.apiKeyNotValid("API key not valid. Please pass a valid API key.");
        };
    }

    private boolean matches(String presented) {
        // Constant-time comparison: the mock may guard a shared demo, and it costs nothing.
        return MessageDigest.isEqual(presented.strip().getBytes(StandardCharsets.UTF_8), expected);
    }
}
