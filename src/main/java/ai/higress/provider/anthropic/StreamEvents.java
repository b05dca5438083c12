package ai.higress.provider.anthropic;

import java.io.IOException;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.Target;
import ai.higress.schema.Json;
import ai.higress.stream.SseEvent;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads the JSON of one Anthropic stream event; the {@code type} in the data is authoritative. */
final class StreamEvents {

    private StreamEvents() {
    }

    static JsonNode parse(SseEvent event, Target target) {
        try {
            JsonNode node = Json.MAPPER.readTree(event.data());
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // reported below
        }
        throw UpstreamException.transport(ErrorKind.PROTOCOL,
                "provider '" + target.providerId() + "' sent a stream event that is not a JSON object");
    }
}
