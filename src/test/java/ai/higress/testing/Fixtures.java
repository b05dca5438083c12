package ai.higress.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.schema.Json;
import ai.higress.stream.SseEvent;
import ai.higress.stream.SseReader;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads test fixtures under {@code src/test/resources/fixtures/}: bytes, text, JSON trees and SSE events. */
public final class Fixtures {

    private Fixtures() {
    }

    public static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new AssertionError("missing fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    public static JsonNode json(String path) {
        return tree(bytes(path));
    }

    public static JsonNode tree(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(String json) {
        return tree(json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code node} as it reads back from its JSON text, so number node kinds compare equal to parsed fixtures. */
    public static JsonNode normalized(JsonNode node) {
        return tree(Json.text(node));
    }

    public static List<SseEvent> events(String path) {
        return events(bytes(path));
    }

    public static List<SseEvent> events(byte[] sse) {
        SseReader reader = new SseReader(new ByteArrayInputStream(sse), 1 << 20);
        List<SseEvent> events = new ArrayList<>();
        try {
            for (Optional<SseEvent> next = reader.next(); next.isPresent(); next = reader.next()) {
                events.add(next.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }
}
