package ai.higress.api;

import ai.higress.auth.Caller;
import ai.higress.error.GatewayException;
import ai.higress.observe.Exchange;
import ai.higress.provider.EmbeddingsResult;
import ai.higress.ratelimit.Admission;
import ai.higress.ratelimit.Quota;
import ai.higress.ratelimit.RateLimits;
import ai.higress.routing.EmbeddingsDispatcher;
import ai.higress.schema.EmbeddingsRequest;
import ai.higress.schema.EmbeddingsRequestParser;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /v1/embeddings}: parse and validate once, admit against the key's limits with the inputs' token
 * estimate, dispatch with failover, answer with the gateway's headers, and settle the reservation with the usage.
 */
final class EmbeddingsService implements HttpService {
    private final EmbeddingsDispatcher dispatcher;
    private final RateLimits rateLimits;
    private final long maxRequestBytes;

    EmbeddingsService(EmbeddingsDispatcher dispatcher, RateLimits rateLimits, long maxRequestBytes) {
        this.dispatcher = dispatcher;
        this.rateLimits = rateLimits;
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        for (String path : new String[] {"/v1/embeddings", "/embeddings"}) {
            rules.post(path, this::handle);
            rules.any(path, (req, res) -> {
                throw GatewayException.methodNotAllowed(req.prologue().method().text(), path);
            });
        }
    }

    private void handle(ServerRequest req, ServerResponse res) {
        Exchange exchange = Exchanges.of(req);
        exchange.route("embeddings");
        EmbeddingsRequest request = EmbeddingsRequestParser.parse(RequestBodies.read(req, maxRequestBytes));
        Caller caller = Callers.of(req);
        Admission admission = rateLimits.admit(caller.keyId(),
                new Quota(caller.limits().requestsPerMinute(), caller.limits().tokensPerMinute()),
                request::estimatedTokens);
        admission.headers().forEach(res::header);
        boolean succeeded = false;
        try {
            EmbeddingsResult result = dispatcher.embed(request, caller, exchange);
            res.header(ChatPipeline.PROVIDER, exchange.providerTag());
            res.header(ChatPipeline.MODEL, exchange.upstreamModel());
            res.header(ChatPipeline.ATTEMPTS, Integer.toString(exchange.attempts().size()));
            res.header(HeaderValues.CONTENT_TYPE_JSON);
            res.send(result.body());
            succeeded = true;
        } finally {
            rateLimits.settle(admission, exchange.usage(), succeeded);
        }
    }
}
