package ai.higress.api;

import ai.higress.auth.Caller;

import io.helidon.webserver.http.ServerRequest;

/** Access to the request's authenticated {@link Caller}, registered by {@link ApiKeyFilter}. */
final class Callers {

    private Callers() {
    }

    static Caller of(ServerRequest request) {
        return request.context().get(Caller.class)
                .orElseThrow(() -> new IllegalStateException("ApiKeyFilter did not run"));
    }
}
