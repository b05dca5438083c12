package ai.higress.api;

import java.util.Optional;

import ai.higress.error.GatewayException;
import ai.higress.observe.Exchange;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.ChatRequestParser;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code POST /v1/chat/completions}, JSON and server-sent events. */
final class ChatCompletionsService implements HttpService {
    private final ChatPipeline pipeline;
    private final long maxRequestBytes;

    ChatCompletionsService(ChatPipeline pipeline, long maxRequestBytes) {
        this.pipeline = pipeline;
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        for (String path : new String[] {"/v1/chat/completions", "/chat/completions"}) {
            rules.post(path, this::handle);
            rules.any(path, (req, res) -> {
                throw GatewayException.methodNotAllowed(req.prologue().method().text(), path);
            });
        }
    }

    private void handle(ServerRequest req, ServerResponse res) {
        Exchange exchange = Exchanges.of(req);
        exchange.route("chat.completions");
        Optional<String> sessionId = pipeline.sessionId(req);
        ChatRequest request = ChatRequestParser.parse(RequestBodies.read(req, maxRequestBytes));
        pipeline.serve(req, res, request, sessionId, SessionTurns.OPENAI_CHAT);
    }
}
