package ai.higress.api;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import ai.higress.responses.StoredResponses;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Stores the response a Responses client is sent, before it is sent: the JSON body, or the response carried by the
 * stream's {@code response.completed} / {@code response.incomplete} event, so that a client continuing from it the
 * instant it arrives finds it stored.
 */
final class ResponseRecorder implements AnswerListener {
    private static final Logger LOG = Logger.getLogger(ResponseRecorder.class.getName());

    private final StoredResponses stored;
    private final String owner;
    private final List<ObjectNode> conversation;
    private final int maxEventBytes;

    /**
     * @param owner         the caller's key id
     * @param conversation  the input items the response answers, history included
     * @param maxEventBytes the largest terminal event read; a larger response is not stored anyway
     */
    ResponseRecorder(StoredResponses stored, String owner, List<ObjectNode> conversation, int maxEventBytes) {
        this.stored = stored;
        this.owner = owner;
        this.conversation = List.copyOf(conversation);
        this.maxEventBytes = maxEventBytes;
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
            stored.save(owner, response, conversation);
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
