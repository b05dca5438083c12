package ai.higress.gemini;

import ai.higress.error.GatewayException;

import com.fasterxml.jackson.databind.JsonNode;

/** Request errors of the Gemini ingress, each naming the field, as Google's {@code INVALID_ARGUMENT} does. */
final class Refusal {

    private Refusal() {
    }

    static GatewayException invalid(String field, String problem) {
        return GatewayException.invalidRequest("Invalid value at '" + field + "': " + problem, field);
    }

    static JsonNode object(JsonNode value, String field) {
        if (!value.isObject()) {
            throw invalid(field, "Expected an object.");
        }
        return value;
    }

    static JsonNode array(JsonNode value, String field) {
        if (!value.isArray()) {
            throw invalid(field, "Expected a list.");
        }
        return value;
    }

    static String text(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw invalid(field, "Expected a string.");
        }
        return value.textValue();
    }

    static long integer(JsonNode value, String field) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw invalid(field, "Expected an integer.");
        }
        long number = value.asLong();
        if (number < 0) {
            throw invalid(field, "Expected a non-negative integer.");
        }
        return number;
    }
}
