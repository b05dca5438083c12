package ai.higress.mock;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code POST /v1/chat/completions}: parse, maybe fail on purpose, wait like a model, answer whole or streamed. */
final class ChatCompletionHandler implements Handler {

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong abortedStreams = new AtomicLong();
    private final ObjectMapper json;
    private final ChatRequestParser parser;
    private final FailureInjector failures;
    private final Pacer pacer;
    private final ChatStream stream;
    private final Clock clock;

    ChatCompletionHandler(ObjectMapper json, MockUpstreamConfig config, Pacer pacer, Clock clock) {
        this.json = json;
        this.parser = new ChatRequestParser(json, config.models());
        this.failures = new FailureInjector(config.failureRate(), config.seed());
        this.pacer = pacer;
        this.stream = new ChatStream(pacer);
        this.clock = clock;
    }

    long requestCount() {
        return requests.get();
    }

    long abortedStreamCount() {
        return abortedStreams.get();
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        long number = requests.incrementAndGet();
        byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
        ChatRequest request = parser.parse(body, "call_mock_" + number);
        if (failures.nextRequestFails()) {
            throw MockApiError.serverError("The mock upstream failed this request on purpose (failure-rate).");
        }
        CompletionJson answer = new CompletionJson(json, "chatcmpl-mock-" + number,
                clock.instant().getEpochSecond(), request);
        if (request.stream()) {
            if (stream.send(res, request, answer) != ChatStream.Ending.COMPLETED) {
                abortedStreams.incrementAndGet();
            }
            return;
        }
        try {
            pacer.awaitWholeAnswer(request.answer().pieces().size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MockApiError.serverError("The mock upstream is shutting down.");
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(answer.completion());
    }
}
