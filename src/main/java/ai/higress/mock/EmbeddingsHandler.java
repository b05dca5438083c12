package ai.higress.mock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /v1/embeddings}: one deterministic unit vector per input, seeded by a hash of the input (its text, or
 * its token ids), so equal inputs always embed equally. {@code dimensions} sets the size (default
 * {@value #DEFAULT_DIMENSIONS}); {@code encoding_format: base64} encodes little-endian float32 as OpenAI does. Usage
 * counts a token per four characters of text, or one per token id.
 */
final class EmbeddingsHandler implements Handler {
    static final int DEFAULT_DIMENSIONS = 256;
    static final int MAX_DIMENSIONS = 4096;
    private static final int CHARS_PER_TOKEN = 4;

    private final ObjectMapper json;
    private final Set<String> models;

    EmbeddingsHandler(ObjectMapper json, List<String> models) {
        this.json = json;
        this.models = Set.copyOf(models);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        JsonNode root = readObject(req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0]);
        JsonNode model = root.path("model");
        if (!model.isTextual() || model.asText().isBlank()) {
            throw MockApiError.invalidRequest("you must provide a model parameter", "model");
        }
        List<String> inputs = inputs(root.path("input"));
        int dimensions = root.path("dimensions").asInt(DEFAULT_DIMENSIONS);
        if (dimensions < 1 || dimensions > MAX_DIMENSIONS) {
            throw MockApiError.invalidRequest("'dimensions' must be between 1 and " + MAX_DIMENSIONS + ".",
                    "dimensions");
        }
        if (!models.contains(model.asText())) {
            throw MockApiError.modelNotFound(model.asText());
        }
        boolean base64 = "base64".equals(root.path("encoding_format").asText("float"));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(bytes(answer(model.asText(), inputs, dimensions, base64, tokens(root.path("input")))));
    }

    private ObjectNode answer(String model, List<String> inputs, int dimensions, boolean base64, long tokens) {
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = vector(inputs.get(i), dimensions);
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (float value : vector) {
                    bytes.putFloat(value);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float value : vector) {
                    values.add(value);
                }
            }
        }
        root.put("model", model);
        root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return root;
    }

    /** A unit vector drawn from a generator seeded by the input's SHA-256. */
    static float[] vector(String seedText, int dimensions) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(seedText.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        SplittableRandom random = new SplittableRandom(ByteBuffer.wrap(digest).getLong());
        double[] raw = new double[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            raw[i] = random.nextDouble(-1, 1);
            norm += raw[i] * raw[i];
        }
        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) (raw[i] / Math.sqrt(norm));
        }
        return vector;
    }

    /** Each input as the text its vector is seeded by (token-id inputs: their ids joined by commas). */
    private static List<String> inputs(JsonNode input) {
        if (input.isTextual() && !input.asText().isEmpty()) {
            return List.of(input.asText());
        }
        if (!input.isArray() || input.isEmpty()) {
            throw MockApiError.invalidRequest("'input' must be a non-empty string or a non-empty array.", "input");
        }
        if (input.get(0).isIntegralNumber()) {
            return List.of("tokens:" + input);
        }
        List<String> inputs = new ArrayList<>();
        for (JsonNode item : input) {
            if (item.isTextual() && !item.asText().isEmpty()) {
                inputs.add(item.asText());
            } else if (item.isArray() && !item.isEmpty()) {
                inputs.add("tokens:" + item);
            } else {
                throw MockApiError.invalidRequest("Each input must be a non-empty string or token array.", "input");
            }
        }
        return inputs;
    }

    private static long tokens(JsonNode input) {
        if (input.isTextual()) {
            return (input.asText().length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
        }
        if (input.isIntegralNumber()) {
            return 1;
        }
        long total = 0;
        for (JsonNode item : input) {
            total += tokens(item);
        }
        return total;
    }

    private JsonNode readObject(byte[] body) {
        try {
            JsonNode root = json.readTree(body);
            if (root == null || !root.isObject()) {
                throw MockApiError.invalidBody("The request body must be a JSON object.");
            }
            return root;
        } catch (IOException e) {
            throw MockApiError.invalidBody("We could not parse the JSON body of your request.");
        }
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
