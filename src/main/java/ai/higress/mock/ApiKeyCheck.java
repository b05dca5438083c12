package ai.higress.mock;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/** Lets a request through only with {@code Authorization: Bearer <key>}, answering 401 like OpenAI otherwise. */
final class ApiKeyCheck implements Filter {

    private static final String BEARER = "Bearer ";

    private final byte[] expected;
    private final ErrorEnvelope errors;

    ApiKeyCheck(String apiKey, ErrorEnvelope errors) {
        this.expected = apiKey.getBytes(StandardCharsets.UTF_8);
        this.errors = errors;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<String> authorization = req.headers().first(HeaderNames.AUTHORIZATION);
        if (authorization.isEmpty()) {
            errors.send(res, MockApiError.invalidApiKey("You didn't provide an API key. You need to provide your "
                    + "API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."));
        } else if (!matches(authorization.get())) {
            errors.send(res, MockApiError.invalidApiKey("Incorrect API key provided."));
        } else {
            chain.proceed();
        }
    }

    private boolean matches(String authorization) {
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] presented = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        // Constant-time comparison: the mock may guard a shared demo, and it costs nothing.
        return MessageDigest.isEqual(presented, expected);
    }
}
