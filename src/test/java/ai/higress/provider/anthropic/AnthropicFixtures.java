package ai.higress.provider.anthropic;

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
import java.util.Random;

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

/** Fixtures of the Anthropic adapter tests (see fixtures/anthropic/PROVENANCE.md). */
final class AnthropicFixtures {
    static final Instant NOW = Instant.parse("2025-11-20T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String KEY = "sk-ant-test-upstream-0123456789";
    static final String MODEL = "claude-sonnet-4-5";
    static final ProviderConfig ANTHROPIC = provider("anthropic", "{type: anthropic, api-key: " + KEY + "}");
    static final Target TARGET = new Target(ANTHROPIC, MODEL, 1).withKey(ANTHROPIC.keys().getFirst());

    private AnthropicFixtures() {
    }

    static ProviderConfig provider(String id, String yaml) {
        Config config = Config.just(ConfigSources.create("providers:\n  " + id + ": " + yaml.replace("\n", "\n    "),
                MediaTypes.APPLICATION_X_YAML));
        return GatewayConfig.create(config).providers().get(id);
    }

    static byte[] fixture(String name) {
        try (InputStream in = AnthropicFixtures.class.getResourceAsStream("/fixtures/anthropic/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String name) {
        return tree(new String(fixture(name), StandardCharsets.UTF_8));
    }

    static JsonNode tree(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(byte[] bytes) {
        return tree(new String(bytes, StandardCharsets.UTF_8));
    }

    static ChatRequest request(String json) {
        return ChatRequestParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static ChatRequest request(JsonNode body) {
        return ChatRequestParser.parse(Json.bytes(body));
    }

    /** A one-message request with {@code extra} (JSON members, may be empty) added. */
    static ChatRequest hello(String extra) {
        return request("{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]"
                + (extra.isEmpty() ? "" : "," + extra) + "}");
    }

    /** A request from an Anthropic client: {@code original} as it sent it, with a canonical stand-in. */
    static ChatRequest fromAnthropicClient(ObjectNode original, boolean stream) {
        ChatRequest canonical = hello(stream ? "\"stream\":true" : "");
        return canonical.fromClient(ai.higress.schema.WireProtocol.ANTHROPIC_MESSAGES, original);
    }

    /** The events of an SSE fixture, read in chunks of random sizes (seeded) so events and lines split anywhere. */
    static List<SseEvent> events(String name, long seed) {
        return events(fixture(name), seed);
    }

    static List<SseEvent> events(byte[] bytes, long seed) {
        InputStream in = seed == 0 ? new ByteArrayInputStream(bytes) : new Trickle(bytes, new Random(seed));
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

    /** Serves its bytes in reads of 1 to 7 bytes, cutting UTF-8 sequences, lines and JSON anywhere. */
    private static final class Trickle extends InputStream {
        private final byte[] data;
        private final Random random;
        private int position;

        Trickle(byte[] data, Random random) {
            this.data = data;
            this.random = random;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position == data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(7)), data.length - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }
    }
}
