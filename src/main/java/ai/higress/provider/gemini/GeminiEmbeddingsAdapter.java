package ai.higress.provider.gemini;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.EmbeddingsAdapter;
import ai.higress.provider.EmbeddingsResult;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamRequest;
import ai.higress.schema.EmbeddingInput;
import ai.higress.schema.EmbeddingsRequest;
import ai.higress.schema.EncodingFormat;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OpenAI embeddings requests to Gemini's {@code models/{model}:batchEmbedContents}. Parameter table: {@code input}
 * (text only; token ids are never planned for Gemini) becomes one {@code requests[]} entry per input with
 * {@code content.parts[].text}; {@code dimensions} becomes {@code outputDimensionality}; {@code encoding_format} is
 * applied by the gateway to the answer; {@code user} and unknown parameters are dropped; {@code taskType} is left to
 * Gemini's default. Gemini reports no token usage for embeddings, so usage is the gateway's estimate (a token per four
 * characters), the same one rate limiting reserves. Headers and error classification are the chat adapter's.
 */
public final class GeminiEmbeddingsAdapter implements EmbeddingsAdapter {
    /** Reads vector values as decimals, so each becomes the float32 it denotes without rounding twice. */
    private static final ObjectReader EXACT = Json.MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final Clock clock;

    public GeminiEmbeddingsAdapter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public UpstreamRequest toUpstream(EmbeddingsRequest request, Target target, String requestId) {
        String path = GeminiModels.batchEmbedPath(target.upstreamModel());
        String model = GeminiModels.bareName(target.upstreamModel());
        ObjectNode body = Json.object();
        ArrayNode requests = body.putArray("requests");
        for (EmbeddingInput input : request.inputs()) {
            if (!(input instanceof EmbeddingInput.Text text)) {
                // the router plans no Gemini target for token ids; refuse rather than send something else
                throw Refusals.unsupported("input", "Gemini embeds text only: send 'input' as strings.");
            }
            ObjectNode item = requests.addObject();
            item.put("model", "models/" + model);
            item.putObject("content").putArray("parts").addObject().put("text", text.text());
            if (request.dimensions() > 0) {
                item.put("outputDimensionality", request.dimensions());
            }
        }
        return new UpstreamRequest(path, GeminiAdapter.headers(target, false, requestId), Json.bytes(body), false);
    }

    @Override
    public EmbeddingsResult toResponse(EmbeddingsRequest request, byte[] body, Target target) {
        JsonNode embeddings = readEmbeddings(body, target);
        if (embeddings.size() != request.inputs().size()) {
            throw protocolError(target, "answered " + embeddings.size() + " embeddings for "
                    + request.inputs().size() + " inputs");
        }
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < embeddings.size(); i++) {
            float[] vector = vector(embeddings.get(i).path("values"), target);
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            if (request.encoding() == EncodingFormat.BASE64) {
                item.put("embedding", base64(vector));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float value : vector) {
                    values.add(value);
                }
            }
        }
        root.put("model", target.upstreamModel());
        long estimate = request.estimatedTokens();
        root.putObject("usage").put("prompt_tokens", estimate).put("total_tokens", estimate);
        return new EmbeddingsResult(Json.bytes(root), new Usage(estimate, 0, estimate, 0, 0), true);
    }

    @Override
    public UpstreamException classifyError(Target target, int status, Map<String, String> headers, byte[] body) {
        return GeminiErrors.classify(target, status, headers, body, clock.instant());
    }

    /** The float32 values as OpenAI encodes them: little-endian bytes, standard base64 with padding. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            bytes.putFloat(value);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private static JsonNode readEmbeddings(byte[] body, Target target) {
        JsonNode root;
        try {
            root = EXACT.readTree(body);
        } catch (IOException e) {
            throw protocolError(target, "answered with a body that is not JSON");
        }
        JsonNode embeddings = root == null ? null : root.get("embeddings");
        if (embeddings == null || !embeddings.isArray()) {
            throw protocolError(target, "answered without an 'embeddings' array");
        }
        return embeddings;
    }

    private static float[] vector(JsonNode values, Target target) {
        if (!values.isArray() || values.isEmpty()) {
            throw protocolError(target, "answered an embedding without 'values'");
        }
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            JsonNode value = values.get(i);
            if (!value.isNumber()) {
                throw protocolError(target, "answered an embedding value that is not a number");
            }
            BigDecimal decimal = value.decimalValue();
            vector[i] = decimal.floatValue();
        }
        return vector;
    }

    private static UpstreamException protocolError(Target target, String what) {
        return UpstreamException.transport(ErrorKind.PROTOCOL, "provider '" + target.providerId() + "' " + what);
    }
}
