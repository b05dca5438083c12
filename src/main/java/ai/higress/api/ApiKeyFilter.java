package ai.higress.api;

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
                request.headers().first(X_API_KEY));
        request.context().register(caller);
        Exchanges.of(request).caller(caller.keyId(), caller.keyName());
        chain.proceed();
    }

    private static boolean isOpen(String path) {
        return path.equals("/health") || path.startsWith("/health/") || path.equals("/metrics")
                || path.startsWith("/metrics/") || path.equals("/") || path.startsWith("/admin/")
                || path.startsWith("/system/") || path.equals("/favicon.ico");
    }
}
