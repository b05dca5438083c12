package ai.higress.api;

import java.util.Optional;

import ai.higress.auth.ApiKeyAuthenticator;
import ai.higress.auth.Caller;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Requires a valid client API key on the API paths. Health and metrics stay open for probes and scrapers; the admin
 * API checks its own token.
 */
final class ApiKeyFilter implements io.helidon.webserver.http.Filter {
    private static final io.helidon.http.HeaderName X_API_KEY = HeaderNames.create("x-api-key");
    private static final io.helidon.http.HeaderName X_GOOG_API_KEY = HeaderNames.create("x-goog-api-key");

    private final ApiKeyAuthenticator authenticator;

    ApiKeyFilter(ApiKeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        if (isOpen(request.path().path())) {
            chain.proceed();
            return;
        }
        Caller caller = authenticator.authenticate(request.headers().first(HeaderNames.AUTHORIZATION),
                apiKey(request));
        request.context().register(caller);
        Exchanges.of(request).caller(caller.keyId(), caller.keyName());
        chain.proceed();
    }

    /**
     * The key sent outside {@code Authorization}: {@code X-API-Key}, or on the Gemini API where Google's SDKs put it,
     * {@code x-goog-api-key} or the {@code key} query parameter.
     */
    private static Optional<String> apiKey(RoutingRequest request) {
        Optional<String> key = request.headers().first(X_API_KEY);
        if (key.isPresent() || !request.path().path().startsWith(GatewayFilter.GEMINI_PREFIX)) {
            return key;
        }
        key = request.headers().first(X_GOOG_API_KEY);
        return key.isPresent() ? key : request.query().first("key").asOptional();
    }

    private static boolean isOpen(String path) {
        return path.equals("/health") || path.startsWith("/health/") || path.equals("/metrics")
                || path.startsWith("/metrics/") || path.equals("/") || path.startsWith("/admin/")
                || path.startsWith("/system/") || path.equals("/favicon.ico");
    }
}
