package ai.higress.api;

import ai.higress.observe.Exchange;

import io.helidon.webserver.http.ServerRequest;

/** Access to the request's {@link Exchange}, registered by {@link GatewayFilter}. */
final class Exchanges {

    private Exchanges() {
    }

    static Exchange of(ServerRequest request) {
        return request.context().get(Exchange.class)
                .orElseThrow(() -> new IllegalStateException("GatewayFilter did not run"));
    }
}
