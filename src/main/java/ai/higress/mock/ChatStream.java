package ai.higress.mock;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http.ServerResponse;

/**
 * Sends one answer as OpenAI server-sent events, each event flushed on its own so the client sees real pacing.
 */
final class ChatStream {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    /** How a stream ended. */
    enum Ending {
        COMPLETED,
        CLIENT_GONE,
        INTERRUPTED
    }

    private final Pacer pacer;

    ChatStream(Pacer pacer) {
        this.pacer = pacer;
    }

    /** Streams the answer; a client that goes away or a server that stops ends it quietly. */
    Ending send(ServerResponse res, ChatRequest request, CompletionJson body) {
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        try (OutputStream out = res.outputStream()) {
            pacer.awaitFirstToken();
            writeEvents(out, request, body);
            return Ending.COMPLETED;
        } catch (IOException | UncheckedIOException | ServerConnectionException e) {
            // The client hung up (Helidon reports the broken socket as ServerConnectionException): nobody is left to
            // tell, and it is not the mock's fault.
            return Ending.CLIENT_GONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Ending.INTERRUPTED;
        }
    }

    private void writeEvents(OutputStream out, ChatRequest request, CompletionJson body)
            throws IOException, InterruptedException {
        int choices = request.choices();
        for (int index = 0; index < choices; index++) {
            event(out, body.roleChunk(index));
        }
        List<String> pieces = request.answer().pieces();
        for (int piece = 0; piece < pieces.size(); piece++) {
            if (piece > 0) {
                pacer.awaitNextToken();
            }
            for (int index = 0; index < choices; index++) {
                event(out, body.pieceChunk(index, pieces.get(piece)));
            }
        }
        for (int index = 0; index < choices; index++) {
            event(out, body.finishChunk(index));
        }
        if (request.includeUsage()) {
            event(out, body.usageChunk());
        }
        event(out, DONE);
    }

    private static void event(OutputStream out, byte[] data) throws IOException {
        byte[] event = new byte[DATA.length + data.length + EVENT_END.length];
        System.arraycopy(DATA, 0, event, 0, DATA.length);
        System.arraycopy(data, 0, event, DATA.length, data.length);
        System.arraycopy(EVENT_END, 0, event, DATA.length + data.length, EVENT_END.length);
        out.write(event);
        out.flush();
    }
}
