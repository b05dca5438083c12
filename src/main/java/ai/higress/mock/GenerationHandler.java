package ai.higress.mock;

import java.time.Clock;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A generation endpoint of one protocol ({@code /v1/chat/completions}, {@code /v1/messages}, Gemini's
 * {@code generateContent}): parse, maybe fail on purpose, wait like a model, answer whole or streamed. Only reading the
 * request and writing the answer differ between protocols; the counting, the failures and the pacing are shared, so
 * a failure rate and its seed describe the whole mock whatever mix of protocols calls it.
 */
final class GenerationHandler implements Handler {

    /** Reads one protocol's request into the shared form; {@code number} numbers the request on this mock. */
    @FunctionalInterface
    interface Reader {
        ChatRequest read(ServerRequest req, byte[] body, long number);
    }

    /** Writes one protocol's answer. */
    @FunctionalInterface
    interface Writer {
        WireAnswer write(ChatRequest request, long number, long createdEpochSeconds);
    }

    private final Reader reader;
    private final Writer writer;
    private final Traffic traffic;
    private final FailureInjector failures;
    private final Pacer pacer;
    private final ChatStream stream;
    private final Clock clock;

    GenerationHandler(Reader reader, Writer writer, Traffic traffic, FailureInjector failures, Pacer pacer,
            Clock clock) {
        this.reader = reader;
        this.writer = writer;
        this.traffic = traffic;
        this.failures = failures;
        this.pacer = pacer;
        this.stream = new ChatStream(pacer);
        this.clock = clock;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        long number = traffic.nextRequest();
        byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
        ChatRequest request = reader.read(req, body, number);
        if (failures.nextRequestFails()) {
            throw MockApiError.serverError("The mock upstream failed this request on purpose (failure-rate).");
        }
        WireAnswer answer = writer.write(request, number, clock.instant().getEpochSecond());
        if (request.stream()) {
            if (stream.send(res, request, answer) != ChatStream.Ending.COMPLETED) {
                traffic.streamAborted();
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
        res.send(answer.whole());
    }
}
