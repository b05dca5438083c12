package ai.higress.provider;

import java.io.IOException;
import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads JSON that must be an object: an upstream's whole answer, one event of its stream, or a chunk a translator
 * hands to a client codec. Anything else (not JSON, an array, a bare value) is a {@link ErrorKind#PROTOCOL} failure,
 * which fails over like any broken answer before the commit point. The failure names the provider and never echoes
 * the text, which may hold a completion.
 */
public final class UpstreamJson {

    private UpstreamJson() {
    }

    /** The object {@code text} holds; empty when it is not JSON or not an object. */
    public static Optional<JsonNode> object(String text) {
        try {
            return asObject(Json.MAPPER.readTree(text));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The object {@code bytes} hold; empty when they are not JSON or not an object. */
    public static Optional<JsonNode> object(byte[] bytes) {
        try {
            return asObject(Json.MAPPER.readTree(bytes));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** An upstream's answer body, or a PROTOCOL failure naming the provider. */
    public static JsonNode body(byte[] body, Target target) {
        return object(body).orElseThrow(() -> notAnObject(target, "answered with a body"));
    }

    /** One event's data from an upstream's stream, or a PROTOCOL failure naming the provider. */
    public static JsonNode event(String data, Target target) {
        return object(data).orElseThrow(() -> notAnObject(target, "sent a stream event"));
    }

    /** The failure for JSON that should have been an object; {@code what} says what the provider did with it. */
    public static UpstreamException notAnObject(Target target, String what) {
        return UpstreamException.transport(ErrorKind.PROTOCOL,
                "provider '" + target.providerId() + "' " + what + " that is not a JSON object");
    }

    private static Optional<JsonNode> asObject(JsonNode node) {
        return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    }
}
