package ai.higress.schema;

import java.util.ArrayList;
import java.util.List;

import ai.higress.error.GatewayException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Parses and validates an embeddings body once, at the edge, so a malformed request fails here with {@code param}
 * set instead of as an opaque upstream error. {@code input} is a string, an array of strings, an array of token ids
 * or an array of token-id arrays, at most {@value #MAX_INPUTS} of them, none empty. Unknown parameters pass through
 * untouched to OpenAI-compatible upstreams (vendors add their own).
 */
public final class EmbeddingsRequestParser {
    /** OpenAI's limit on the inputs of one request. */
    static final int MAX_INPUTS = 2048;
    private static final String INPUT_SHAPES = "a string, an array of strings, an array of integers or an array of "
            + "integer arrays";

    private EmbeddingsRequestParser() {
    }

    public static EmbeddingsRequest parse(byte[] body) {
        ObjectNode root = ChatRequestParser.readObject(body);
        String model = ChatRequestParser.requireModel(root);
        List<EmbeddingInput> inputs = inputs(root.get("input"));
        int dimensions = dimensions(root.get("dimensions"));
        EncodingFormat encoding = encoding(root.get("encoding_format"));
        JsonNode user = root.get("user");
        if (user != null && !user.isNull() && !user.isTextual()) {
            throw invalidType("user", "a string", user);
        }
        return new EmbeddingsRequest(model, inputs, encoding, dimensions, root);
    }

    private static List<EmbeddingInput> inputs(JsonNode input) {
        if (input == null || input.isNull()) {
            throw GatewayException.invalidRequest("Missing required parameter: 'input'.", "input",
                    "missing_required_parameter");
        }
        if (input.isTextual()) {
            return List.of(text(input, "input"));
        }
        if (!input.isArray()) {
            throw invalidType("input", INPUT_SHAPES, input);
        }
        checkLength(input, "input", MAX_INPUTS);
        List<EmbeddingInput> inputs = new ArrayList<>(input.size());
        JsonNode first = input.get(0);
        if (!first.isTextual() && !first.isIntegralNumber() && !first.isArray()) {
            throw invalidType("input[0]", "a string, a token id or an array of token ids", first);
        }
        if (first.isIntegralNumber()) {
            // one tokenized text
            inputs.add(new EmbeddingInput.TokenIds(tokenIds(input, "input")));
            return inputs;
        }
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            String param = "input[" + i + "]";
            if (first.isTextual() && item.isTextual()) {
                inputs.add(text(item, param));
            } else if (first.isArray() && item.isArray()) {
                checkLength(item, param, Integer.MAX_VALUE);
                inputs.add(new EmbeddingInput.TokenIds(tokenIds(item, param)));
            } else {
                throw invalidType(param, first.isArray() ? "an array of integers" : "a string", item);
            }
        }
        return inputs;
    }

    private static EmbeddingInput.Text text(JsonNode node, String param) {
        if (node.textValue().isEmpty()) {
            throw GatewayException.invalidRequest("Invalid '" + param + "': empty string. Expected a string with "
                    + "minimum length 1, but got an empty string instead.", param, "empty_string");
        }
        return new EmbeddingInput.Text(node.textValue());
    }

    private static int tokenIds(JsonNode array, String param) {
        for (int i = 0; i < array.size(); i++) {
            JsonNode id = array.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
                throw GatewayException.invalidRequest("Invalid type for '" + param + "[" + i + "]': expected a "
                        + "token id (a non-negative integer), but got " + ChatRequestParser.describe(id) + ".",
                        param + "[" + i + "]", "invalid_type");
            }
        }
        return array.size();
    }

    private static void checkLength(JsonNode array, String param, int max) {
        if (array.isEmpty()) {
            throw GatewayException.invalidRequest("Invalid '" + param + "': empty array. Expected an array with "
                    + "minimum length 1, but got an empty array instead.", param, "empty_array");
        }
        if (array.size() > max) {
            throw GatewayException.invalidRequest("Invalid '" + param + "': array too long. Expected an array with "
                    + "maximum length " + max + ", but got an array with length " + array.size() + " instead.",
                    param, "array_above_max_length");
        }
    }

    private static int dimensions(JsonNode dimensions) {
        if (dimensions == null || dimensions.isNull()) {
            return 0;
        }
        if (!dimensions.isIntegralNumber() || !dimensions.canConvertToInt()) {
            throw invalidType("dimensions", "an integer", dimensions);
        }
        if (dimensions.intValue() < 1) {
            throw GatewayException.invalidRequest("Invalid value for 'dimensions': " + dimensions.intValue()
                    + " is less than the minimum of 1.", "dimensions", "invalid_value");
        }
        return dimensions.intValue();
    }

    private static EncodingFormat encoding(JsonNode format) {
        if (format == null || format.isNull()) {
            return EncodingFormat.FLOAT;
        }
        if (!format.isTextual()) {
            throw invalidType("encoding_format", "a string", format);
        }
        return EncodingFormat.of(format.textValue()).orElseThrow(() -> GatewayException.invalidRequest(
                "Invalid value: '" + format.textValue() + "'. Supported values are: 'float' and 'base64'.",
                "encoding_format", "invalid_value"));
    }

    private static GatewayException invalidType(String param, String expected, JsonNode actual) {
        return GatewayException.invalidRequest("Invalid type for '" + param + "': expected " + expected + ", but got "
                + ChatRequestParser.describe(actual) + ".", param, "invalid_type");
    }
}
