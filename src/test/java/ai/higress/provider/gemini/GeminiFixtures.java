package ai.higress.provider.gemini;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.config.GatewayConfig;
import ai.higress.config.ProviderConfig;
import ai.higress.provider.Target;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.ChatRequestParser;
import ai.higress.schema.Json;
import ai.higress.stream.SseEvent;
import ai.higress.stream.SseReader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/** Shared test setup: fixtures/gemini files, a Gemini provider from YAML, a fixed clock and ids. */
final class GeminiFixtures {
    static final Instant NOW = Instant.parse("2025-08-14T02:18:43Z");
    static final String KEY = "AIzaSy-test-upstream-0123456789";
    static final ProviderConfig GEMINI = provider("gemini", "{type: gemini, api-key: " + KEY + "}");

    private GeminiFixtures() {
    }

    static GeminiAdapter adapter() {
        return new GeminiAdapter(Clock.fixed(NOW, ZoneOffset.UTC), () -> "fixedid0001");
    }

    /** A target as an attempt sees it: the provider's first key chosen. */
    static Target target(String model) {
        return new Target(GEMINI, model, 1).withKey(GEMINI.keys().getFirst());
    }

    static ProviderConfig provider(String id, String yaml) {
        Config config = Config.just(ConfigSources.create("providers:\n  " + id + ": " + yaml,
                MediaTypes.APPLICATION_X_YAML));
        return GatewayConfig.create(config).providers().get(id);
    }

    static ChatRequest request(JsonNode body) {
        return ChatRequestParser.parse(Json.bytes(body));
    }

    static ChatRequest request(String body) {
        return ChatRequestParser.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode json(String name) {
        return (ObjectNode) tree(bytes(name));
    }

    static JsonNode tree(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(String json) {
        return tree(json.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] bytes(String name) {
        try (InputStream in = GeminiFixtures.class.getResourceAsStream("/fixtures/gemini/" + name)) {
            if (in == null) {
                throw new AssertionError("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events of an SSE body, read by the gateway's own reader from reads of at most {@code chunk} bytes. */
    static List<SseEvent> events(byte[] body, int chunk) {
        InputStream in = new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                return super.read(buffer, offset, Math.min(length, chunk));
            }
        };
        SseReader reader = new SseReader(in, 1 << 20);
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

    /** The expected chunks of a {@code .openai.jsonl} fixture: JSON trees, and {@code [DONE]} as a text node. */
    static List<JsonNode> expectedChunks(String name) {
        List<JsonNode> chunks = new ArrayList<>();
        for (String line : new String(bytes(name), StandardCharsets.UTF_8).split("\n")) {
            chunks.add(line.equals(SseEvent.DONE) ? Json.MAPPER.getNodeFactory().textNode(line) : tree(line));
        }
        return chunks;
    }

    /** What a translator emitted, in the form of {@link #expectedChunks}. */
    static List<JsonNode> emitted(List<SseEvent> events) {
        return events.stream().map(event -> event.isDone()
                ? (JsonNode) Json.MAPPER.getNodeFactory().textNode(event.data()) : tree(event.data())).toList();
    }
}
