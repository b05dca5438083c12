package ai.higress.api;

import java.util.Optional;

import ai.higress.error.GatewayException;
import ai.higress.gemini.GeminiRequestParser;
import ai.higress.schema.ChatRequest;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Google's Gemini API: {@code POST /v1beta/models/{model}:generateContent} and
 * {@code :streamGenerateContent?alt=sse}, served by any upstream through the canonical request (a Gemini upstream
 * gets the client's body as it came). The model and the method share the last path segment, so the segment is split
 * here rather than by a path template. Errors on these paths are in Google's format ({@link GatewayFilter}).
 */
final class GeminiService implements HttpService {
    private static final String MODELS = "/v1beta/models/";

    private final ChatPipeline pipeline;
    private final long maxRequestBytes;

    GeminiService(ChatPipeline pipeline, long maxRequestBytes) {
        this.pipeline = pipeline;
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(MODELS + "*", this::generate);
        rules.any(MODELS + "*", (req, res) -> {
            throw GatewayException.methodNotAllowed(req.prologue().method().text(), req.path().path());
        });
    }

    private void generate(ServerRequest req, ServerResponse res) {
        String segment = req.path().path().substring(MODELS.length());
        int colon = segment.lastIndexOf(':');
        String method = colon < 0 ? "" : segment.substring(colon + 1);
        String model = colon < 0 ? "" : segment.substring(0, colon);
        boolean stream = switch (method) {
            case "generateContent" -> false;
            case "streamGenerateContent" -> true;
            default -> throw GatewayException.notFound("Invalid URL (POST " + req.path().path()
                    + "): the gateway serves only models/{model}:generateContent and :streamGenerateContent.");
        };
        if (model.isEmpty() || model.contains("/")) {
            throw GatewayException.invalidRequest("The path must name a model: models/{model}:" + method + ".", null);
        }
        if (stream && !"sse".equals(req.query().first("alt").orElse(""))) {
            throw GatewayException.invalidRequest("streamGenerateContent is served only as server-sent events:"
                    + " add the query parameter alt=sse.", "alt");
        }
        Exchanges.of(req).route("gemini");
        Optional<String> sessionId = pipeline.sessionId(req);
        ChatRequest request = GeminiRequestParser.parse(RequestBodies.read(req, maxRequestBytes), model, stream);
        pipeline.serve(req, res, request, sessionId, SessionTurns.GEMINI);
    }
}
