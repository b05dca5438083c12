package ai.higress.mock;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http.ServerResponse;

/**
 * Sends one answer as server-sent events in its protocol's sequence, each event flushed on its own so the client sees
 * real pacing.
 */
final class ChatStream {

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
    Ending send(ServerResponse res, ChatRequest request, WireAnswer answer) {
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        try (OutputStream out = res.outputStream()) {
            pacer.awaitFirstToken();
            writeEvents(out, request.answer().pieces(), answer);
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

    private void writeEvents(OutputStream out, List<String> pieces, WireAnswer answer)
            throws IOException, InterruptedException {
        write(out, answer.opening());
        for (int piece = 0; piece < pieces.size(); piece++) {
            if (piece > 0) {
                pacer.awaitNextToken();
            }
            write(out, answer.piece(piece, pieces.get(piece)));
        }
        write(out, answer.closing());
    }

    private static void write(OutputStream out, List<byte[]> events) throws IOException {
        for (byte[] event : events) {
            out.write(event);
            out.flush();
        }
    }
}
