package ai.higress.messages;

import ai.higress.error.GatewayException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;

/**
 * Reads fields of a Messages request and reports bad ones the way Anthropic does: the message starts with the dotted
 * field path ({@code messages.0.content.1.source: ...}), since Anthropic's error envelope has no {@code param}.
 */
final class Fields {

    private Fields() {
    }

    static GatewayException invalid(String path, String problem) {
        return GatewayException.invalidRequest(path + ": " + problem, path);
    }

    static GatewayException unsupported(String path, String what) {
        return invalid(path, what + " cannot be translated for the gateway's upstreams and is not supported");
    }

    static String path(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    static String path(String parent, int index) {
        return parent + "." + index;
    }

    /** Whether {@code node} has {@code field} with a non-null value. */
    static boolean present(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    static String requiredText(JsonNode node, String field, String parent) {
        JsonNode value = node.get(field);
        String path = path(parent, field);
        if (value == null || value.isNull()) {
            throw invalid(path, "Field required");
        }
        if (!value.isTextual()) {
            throw invalid(path, "Input should be a valid string, but got " + describe(value));
        }
        return value.textValue();
    }

    static JsonNode requiredObject(JsonNode node, String field, String parent) {
        JsonNode value = node.get(field);
        String path = path(parent, field);
        if (value == null || value.isNull()) {
            throw invalid(path, "Field required");
        }
        return expect(value, JsonNodeType.OBJECT, path);
    }

    /** {@code value} if it has {@code type}, else the Anthropic-style type error. */
    static JsonNode expect(JsonNode value, JsonNodeType type, String path) {
        if (value.getNodeType() != type) {
            throw invalid(path, "Input should be " + article(type) + ", but got " + describe(value));
        }
        return value;
    }

    /** A whole number at least {@code min}, else a 400 naming {@code path}. */
    static long integer(JsonNode value, long min, String path) {
        if (!value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw invalid(path, "Input should be a valid integer, but got " + describe(value));
        }
        if (value.asLong() < min) {
            throw invalid(path, "Input should be greater than or equal to " + min);
        }
        return value.asLong();
    }

    /** A number within {@code [min, max]}, else a 400 naming {@code path}. */
    static double number(JsonNode value, double min, double max, String path) {
        if (!value.isNumber()) {
            throw invalid(path, "Input should be a valid number, but got " + describe(value));
        }
        double number = value.asDouble();
        if (number < min || number > max) {
            throw invalid(path, "Input should be between " + min + " and " + max);
        }
        return number;
    }

    static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case STRING -> "a string";
            case NULL -> "null";
            default -> "an unsupported value";
        };
    }

    private static String article(JsonNodeType type) {
        return switch (type) {
            case ARRAY -> "a valid list";
            case OBJECT -> "a valid object";
            case BOOLEAN -> "a valid boolean";
            case NUMBER -> "a valid number";
            case STRING -> "a valid string";
            case NULL -> "null";
            default -> "an unsupported value";
        };
    }
}
