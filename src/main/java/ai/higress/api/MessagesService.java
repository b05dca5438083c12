package ai.higress.api;

import java.util.Optional;
import java.util.function.Supplier;

import ai.higress.error.GatewayException;
import ai.higress.messages.MessagesRequestParser;
import ai.higress.ratelimit.TokenEstimate;
import ai.higress.routing.Router;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Anthropic's {@code POST /v1/messages} (JSON and server-sent events) and {@code POST /v1/messages/count_tokens},
 * served by any upstream through the canonical request. Errors on these paths are written in Anthropic's format
 * (the {@link GatewayFilter} marks the exchange by path). Any {@code anthropic-version} is accepted.
 */
final class MessagesService implements HttpService {
    private final ChatPipeline pipeline;
    private final long maxRequestBytes;
    private final Supplier<Router> router;

    MessagesService(ChatPipeline pipeline, long maxRequestBytes, Supplier<Router> router) {
        this.pipeline = pipeline;
        this.maxRequestBytes = maxRequestBytes;
        this.router = router;
    }

    @Override
    public void routing(HttpRules rules) {
        for (String base : new String[] {"/v1/messages", "/messages"}) {
            rules.post(base, this::messages);
            rules.post(base + "/count_tokens", this::countTokens);
            for (String path : new String[] {base, base + "/count_tokens"}) {
                rules.any(path, (req, res) -> {
                    throw GatewayException.methodNotAllowed(req.prologue().method().text(), path);
                });
            }
        }
    }

    private void messages(ServerRequest req, ServerResponse res) {
        Exchanges.of(req).route("messages");
        Optional<String> sessionId = pipeline.sessionId(req);
        ChatRequest request = MessagesRequestParser.parse(RequestBodies.read(req, maxRequestBytes));
        pipeline.serve(req, res, request, sessionId, SessionTurns.ANTHROPIC_MESSAGES);
    }

    /**
     * The gateway's own estimate (the rate limiter's: a token per four characters of text), not a tokenizer's
     * count: the upstream that would serve the request is not asked. A model the key may not use is not found.
     */
    private void countTokens(ServerRequest req, ServerResponse res) {
        Exchanges.of(req).route("messages.count_tokens");
        ChatRequest request = MessagesRequestParser.parseCountTokens(RequestBodies.read(req, maxRequestBytes));
        if (!Callers.of(req).mayUse(request.model()) || router.get().resolve(request.model()).isEmpty()) {
            throw GatewayException.modelNotFound(request.model());
        }
        long tokens = TokenEstimate.promptTokens(request.body().path("messages"))
                + TokenEstimate.promptTokens(request.body().path("tools"));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(Json.object().put("input_tokens", tokens)));
    }
}
