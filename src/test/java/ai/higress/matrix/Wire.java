package ai.higress.matrix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import ai.higress.schema.Json;
import ai.higress.testing.Frame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON, server-sent events and fixtures, as both sides of the matrix read and write them. */
public final class Wire {
    /** A 1x1 PNG, the image every client sends. */
    public static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmM"
            + "IQAAAABJRU5ErkJggg==";
    public static final String PNG_URL = "data:image/png;base64," + PNG;
    /** An image on the web, named with the extension Gemini needs to know its type. */
    public static final String IMAGE_HTTPS_URL = "https://images.example.com/matrix/pixel.png";

    private Wire() {
    }

    /** One server-sent event: its name ({@code ""} when unnamed) and its data lines joined. */
    public record Event(String name, String data) {
        public JsonNode json() {
            return tree(data);
        }
    }

    public static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    public static ObjectNode object() {
        return Json.object();
    }

    public static ArrayNode array() {
        return Json.MAPPER.createArrayNode();
    }

    public static String text(JsonNode node) {
        return Json.text(node);
    }

    /** The events of a stream as the client received its lines; comments are skipped. */
    public static List<Event> events(List<String> lines) {
        List<Event> events = new ArrayList<>();
        String name = "";
        StringBuilder data = null;
        for (String line : lines) {
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new Event(name, data.toString()));
                }
                name = "";
                data = null;
            } else if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                String value = line.substring(line.startsWith("data: ") ? 6 : 5);
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            } else if (!line.startsWith(":")) {
                throw new AssertionError("not a server-sent event line: " + line);
            }
        }
        if (data != null) {
            throw new AssertionError("the stream ended inside an event: " + data);
        }
        return events;
    }

    /** A fixture of {@code fixtures/matrix/}. */
    public static String fixture(String path) {
        try (InputStream in = Wire.class.getResourceAsStream("/fixtures/matrix/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An event-stream fixture, one frame (one write and flush) per event, as an upstream sends them. */
    public static List<Frame> frames(String path) {
        return framesOf(fixture(path));
    }

    /** An event stream's text, one frame per event. */
    public static List<Frame> framesOf(String stream) {
        List<Frame> frames = new ArrayList<>();
        for (String event : stream.split("\n\n")) {
            if (!event.isBlank()) {
                frames.add(Frame.raw(event.strip() + "\n\n"));
            }
        }
        return frames;
    }
}
