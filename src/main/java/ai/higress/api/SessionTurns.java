package ai.higress.api;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Pulls the texts a session snippet keeps out of a canonical request and its answer, in each client dialect (OpenAI
 * chat, Anthropic Messages, Gemini).
 */
final class SessionTurns {
    /** Bytes of a streamed answer kept for the snippet; the rest is relayed but not captured. */
    private static final int MAX_CAPTURE = 1 << 20;

    private SessionTurns() {
    }

    /** The text of the last user message. */
    static Optional<String> lastUser(JsonNode body) {
        JsonNode messages = body.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equals(message.path("role").asText())) {
                return Optional.of(text(message.path("content")));
            }
        }
        return Optional.empty();
    }

    /** Answer texts of OpenAI chat completions: the first choice's message, or its streamed content deltas. */
    static final AnswerText OPENAI_CHAT = new AnswerText() {
        @Override
        public Optional<String> ofBody(byte[] body) {
            try {
                JsonNode content = Json.MAPPER.readTree(body).path("choices").path(0).path("message").path("content");
                return content.isMissingNode() || content.isNull() ? Optional.empty() : Optional.of(text(content));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        @Override
        public Optional<String> ofEvent(String data) {
            try {
                JsonNode choice = Json.MAPPER.readTree(data).path("choices").path(0);
                if (choice.path("index").asInt(0) == 0 && choice.path("delta").path("content").isTextual()) {
                    return Optional.of(choice.path("delta").path("content").asText());
                }
            } catch (IOException | RuntimeException e) {
                // a cut-off or foreign event carries no text
            }
            return Optional.empty();
        }
    };

    /** Answer texts of the Messages API: the message's text blocks, or its streamed {@code text_delta}s. */
    static final AnswerText ANTHROPIC_MESSAGES = new AnswerText() {
        @Override
        public Optional<String> ofBody(byte[] body) {
            try {
                JsonNode content = Json.MAPPER.readTree(body).path("content");
                StringBuilder text = new StringBuilder();
                for (JsonNode block : content) {
                    if ("text".equals(block.path("type").asText())) {
                        text.append(block.path("text").asText());
                    }
                }
                return text.isEmpty() ? Optional.empty() : Optional.of(text.toString());
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        @Override
        public Optional<String> ofEvent(String data) {
            try {
                JsonNode event = Json.MAPPER.readTree(data);
                JsonNode delta = event.path("delta");
                if ("content_block_delta".equals(event.path("type").asText())
                        && "text_delta".equals(delta.path("type").asText()) && delta.path("text").isTextual()) {
                    return Optional.of(delta.path("text").asText());
                }
            } catch (IOException | RuntimeException e) {
                // a cut-off or foreign event carries no text
            }
            return Optional.empty();
        }
    };

    /** Answer texts of the Gemini API: the first candidate's text parts, whole or streamed (thoughts left out). */
    static final AnswerText GEMINI = new AnswerText() {
        @Override
        public Optional<String> ofBody(byte[] body) {
            return ofEvent(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public Optional<String> ofEvent(String data) {
            try {
                StringBuilder text = new StringBuilder();
                for (JsonNode part : Json.MAPPER.readTree(data).path("candidates").path(0).path("content")
                        .path("parts")) {
                    if (part.path("text").isTextual() && !part.path("thought").asBoolean(false)) {
                        text.append(part.path("text").asText());
                    }
                }
                return text.isEmpty() ? Optional.empty() : Optional.of(text.toString());
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    };

    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
                text.append(part.path("text").asText());
            }
        }
        return text.toString();
    }

    /** Copies what is written to the client (up to a bound) so the answer text can be read when the stream ends. */
    static final class Capture extends FilterOutputStream {
        private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
        private final AnswerText dialect;

        Capture(OutputStream out, AnswerText dialect) {
            super(out);
            this.dialect = dialect;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            if (copy.size() < MAX_CAPTURE) {
                copy.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            int room = MAX_CAPTURE - copy.size();
            if (room > 0) {
                copy.write(b, off, Math.min(room, len));
            }
        }

        /** The answer text of the captured events, in order. */
        Optional<String> answer() {
            StringBuilder text = new StringBuilder();
            for (String line : copy.toString(StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("data:")) {
                    continue;
                }
                String data = line.substring(5).trim();
                if (data.isEmpty() || data.equals("[DONE]")) {
                    continue;
                }
                dialect.ofEvent(data).ifPresent(text::append);
            }
            return text.isEmpty() ? Optional.empty() : Optional.of(text.toString());
        }
    }
}
