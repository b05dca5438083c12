package ai.higress.api;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import ai.higress.responses.StoredResponses;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Keeps the response a Responses client is sent, before it is sent: the JSON body, or the response carried by the
 * stream's {@code response.completed} / {@code response.incomplete} event, so that a client continuing from it the
 * instant it arrives finds it stored (or at least claimed for its key).
 */
final class ResponseRecorder implements AnswerListener {
    private static final Logger LOG = Logger.getLogger(ResponseRecorder.class.getName());

    private final Consumer<JsonNode> keep;
    private final int maxEventBytes;

    /**
     * @param keep          what to do with the response: store it with its conversation, or only claim its id
     * @param maxEventBytes the largest terminal event read; a larger response is not stored anyway
     */
    private ResponseRecorder(Consumer<JsonNode> keep, int maxEventBytes) {
        this.keep = keep;
        this.maxEventBytes = maxEventBytes;
    }

    /** Stores the response with {@code conversation}, the input items it answers (history included). */
    static ResponseRecorder storing(StoredResponses stored, String owner, List<ObjectNode> conversation,
                                    int maxEventBytes) {
        List<ObjectNode> items = List.copyOf(conversation);
        return new ResponseRecorder(response -> stored.save(owner, response, items), maxEventBytes);
    }

    /** Only claims the response's id for {@code owner}: its earlier turns are held upstream. */
    static ResponseRecorder claiming(StoredResponses stored, String owner, int maxEventBytes) {
        return new ResponseRecorder(response -> stored.claim(owner, response), maxEventBytes);
    }

    @Override
    public void completed(byte[] body) {
        try {
            save(Json.MAPPER.readTree(body));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "a Responses answer is not JSON; it is not stored");
        }
    }

    @Override
    public OutputStream watch(OutputStream client) {
        return new TerminalEventTap(client);
    }

    private void save(JsonNode response) {
        try {
            keep.accept(response);
        } catch (RuntimeException e) {
            // the client gets its answer whatever happens to the copy
            LOG.log(Level.WARNING, "storing a response failed", e);
        }
    }

    /**
     * Holds each event until it is flushed (the SSE writer flushes once per event), reads the terminal one, and only
     * then passes the event on. Events larger than the bound pass through unread.
     */
    private final class TerminalEventTap extends FilterOutputStream {
        private final ByteArrayOutputStream event = new ByteArrayOutputStream();
        private boolean passing;

        TerminalEventTap(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!passing && event.size() + len > maxEventBytes) {
                event.writeTo(out);
                event.reset();
                passing = true;
            }
            if (passing) {
                out.write(b, off, len);
            } else {
                event.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            if (event.size() > 0) {
                terminalResponse(event.toString(StandardCharsets.UTF_8));
                event.writeTo(out);
                event.reset();
            }
            passing = false;
            out.flush();
        }

        private void terminalResponse(String frame) {
            if (!frame.contains("response.completed") && !frame.contains("response.incomplete")) {
                return;
            }
            StringBuilder data = new StringBuilder();
            for (String line : frame.split("\n")) {
                if (line.startsWith("data:")) {
                    data.append(line.substring(line.startsWith("data: ") ? 6 : 5)).append('\n');
                }
            }
            try {
                JsonNode parsed = Json.MAPPER.readTree(data.toString());
                String type = parsed == null ? "" : parsed.path("type").asText("");
                if (type.equals("response.completed") || type.equals("response.incomplete")) {
                    save(parsed.path("response"));
                }
            } catch (IOException e) {
                // not an event the client could read either
            }
        }
    }
}
