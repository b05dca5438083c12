package ai.higress.api;

import java.util.Optional;

import ai.higress.config.AdminConfig;
import ai.higress.error.ErrorType;
import ai.higress.error.GatewayException;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/** Checks the admin API's bearer token in constant time. */
final class AdminAuthenticator {
    private final AdminConfig config;

    AdminAuthenticator(AdminConfig config) {
        this.config = config;
    }

    void check(ServerRequest request) {
        if (config.token().isEmpty()) {
            throw new GatewayException(403, ErrorType.PERMISSION,
                    "The admin API is disabled: start the gateway with HIGRESS_ADMIN_TOKEN (or admin.token) set.",
                    Optional.empty(), Optional.of("admin_disabled"));
        }
        String presented = request.headers().first(HeaderNames.AUTHORIZATION)
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).strip())
                .orElseThrow(() -> GatewayException.invalidApiKey(
                        "The admin API needs 'Authorization: Bearer <admin token>'."));
        if (!config.token().get().matches(presented)) {
            throw GatewayException.invalidApiKey("Incorrect admin token provided.");
        }
    }
}
