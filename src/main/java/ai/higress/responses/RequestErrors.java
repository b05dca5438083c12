package ai.higress.responses;

import java.util.List;

import ai.higress.error.GatewayException;

import com.fasterxml.jackson.databind.JsonNode;

/** The 400s of a Responses request, worded as the API words them, each naming the offending parameter. */
final class RequestErrors {

    private RequestErrors() {
    }

    static GatewayException missing(String param) {
        return GatewayException.invalidRequest("Missing required parameter: '" + param + "'.", param,
                "missing_required_parameter");
    }

    static GatewayException type(String param, String expected, JsonNode actual) {
        return GatewayException.invalidRequest("Invalid type for '" + param + "': expected " + expected + ", but got "
                + describe(actual) + " instead.", param, "invalid_type");
    }

    static GatewayException emptyArray(String param) {
        return GatewayException.invalidRequest("Invalid '" + param + "': empty array. Expected an array with minimum "
                + "length 1, but got an empty array instead.", param, "empty_array");
    }

    static GatewayException value(String param, String actual, List<String> supported) {
        return GatewayException.invalidRequest("Invalid value: '" + actual + "'. Supported values are: '"
                + String.join("', '", supported) + "'.", param, "invalid_value");
    }

    /** A parameter or value the API knows but this gateway cannot honour on every target. */
    static GatewayException unsupported(String param, String message) {
        return GatewayException.invalidRequest(message, param, "unsupported_value");
    }

    static GatewayException outOfRange(String param, String actual, int min, int max) {
        return GatewayException.invalidRequest("Invalid '" + param + "': expected an integer from " + min + " to " + max
                + ", but got '" + actual + "' instead.", param, "invalid_value");
    }

    /** A paging cursor naming no item of the list. */
    static GatewayException unknownItem(String param, String id) {
        return GatewayException.invalidRequest("Invalid '" + param + "': no item with id '" + id + "' in this list.",
                param, "invalid_value");
    }

    static GatewayException unknown(String param) {
        return GatewayException.invalidRequest("Unknown parameter: '" + param + "'.", param, "unknown_parameter");
    }

    static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case BOOLEAN -> "a boolean";
            case NUMBER -> value.canConvertToExactIntegral() ? "an integer" : "a decimal";
            case STRING -> "a string";
            case NULL -> "null";
            default -> "an unsupported value";
        };
    }

    /** {@code node} as non-blank text; a 400 naming {@code param} when it is missing, null or not a string. */
    static String text(JsonNode node, String param) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw missing(param);
        }
        if (!node.isTextual()) {
            throw type(param, "a string", node);
        }
        return node.asText();
    }
}
