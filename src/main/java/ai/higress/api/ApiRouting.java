package ai.higress.api;

import java.time.Instant;

import ai.higress.auth.ApiKeyAuthenticator;
import ai.higress.observe.RequestObserver;
import ai.higress.ratelimit.RateLimits;
import ai.higress.responses.StoredResponses;
import ai.higress.routing.ChatDispatcher;
import ai.higress.routing.EmbeddingsDispatcher;
import ai.higress.routing.RoutingTables;
import ai.higress.session.Sessions;

import io.helidon.webserver.http.HttpRouting;

/** Registers the gateway's filters and ingress services on a routing builder. */
public final class ApiRouting {

    private ApiRouting() {
    }

    /** Filters, API routes and the error handler that writes every failure in the client's error format. */
    public static void register(HttpRouting.Builder routing, RequestObserver observer, ApiKeyAuthenticator keys,
                                RoutingTables tables, ChatDispatcher dispatcher, EmbeddingsDispatcher embeddings,
                                RateLimits rateLimits, long maxRequestBytes, Instant startedAt, Sessions sessions,
                                ai.higress.catalog.ModelCatalog catalog, StoredResponses responses,
                                int maxStoredResponseBytes) {
        ChatPipeline pipeline = new ChatPipeline(dispatcher, rateLimits, sessions);
        routing.addFilter(new GatewayFilter(observer))
                .addFilter(new ApiKeyFilter(keys))
                .register(new ChatCompletionsService(pipeline, maxRequestBytes))
                .register(new EmbeddingsService(embeddings, rateLimits, maxRequestBytes))
                .register(new MessagesService(pipeline, maxRequestBytes, () -> tables.current().router()))
                .register(new GeminiService(pipeline, maxRequestBytes))
                .register(new ResponsesService(pipeline, dispatcher, responses, maxRequestBytes,
                        maxStoredResponseBytes))
                .register(new SessionsService(sessions))
                .register(new ModelsService(() -> tables.current().router(), catalog::entries, startedAt.getEpochSecond()))
                .error(Throwable.class, (req, res, failure) -> ErrorResponses.write(res, failure, Exchanges.of(req)));
    }
}
