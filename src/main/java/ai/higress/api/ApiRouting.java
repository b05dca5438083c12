package ai.higress.api;

import java.time.Instant;

import ai.higress.auth.ApiKeyAuthenticator;
import ai.higress.config.AdminConfig;
import ai.higress.observe.RequestObserver;
import ai.higress.routing.ChatDispatcher;
import ai.higress.routing.HealthTracker;
import ai.higress.routing.RoutingTables;

import io.helidon.webserver.http.HttpRouting;

/** Registers the gateway's filters and ingress services on a routing builder. */
public final class ApiRouting {

    private ApiRouting() {
    }

    /** Filters, API routes and the error handler that writes every failure as an OpenAI error envelope. */
    public static void register(HttpRouting.Builder routing, RequestObserver observer, ApiKeyAuthenticator keys,
                                AdminConfig admin, RoutingTables tables, ChatDispatcher dispatcher, HealthTracker health,
                                long maxRequestBytes, Instant startedAt) {
        routing.addFilter(new GatewayFilter(observer))
                .addFilter(new ApiKeyFilter(keys))
                .register(new ChatCompletionsService(dispatcher, maxRequestBytes))
                .register(new ModelsService(() -> tables.current().router(), startedAt.getEpochSecond()))
                .register(new AdminRoutingService(new AdminAuthenticator(admin), dispatcher, health))
                .error(Throwable.class, (req, res, failure) -> ErrorResponses.write(res, failure, Exchanges.of(req)));
    }
}
