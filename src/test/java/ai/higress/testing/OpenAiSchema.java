package ai.higress.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * Validates OpenAI-shaped JSON against the official OpenAPI schemas, extracted into one JSON Schema 2020-12 document
 * ({@code fixtures/openai-schema/openai.schema.json}; what was extracted and every rewrite are in the PROVENANCE.md
 * beside it). A definition is named as in the spec ({@code CreateChatCompletionResponse}, {@code Response}, ...).
 * Nothing is relaxed here: a test that validates recorded OpenAI traffic, which the spec does not fully describe,
 * must say so itself (see {@code OpenAiSchemaTest}); the one form the spec lacks, base64 embeddings, is checked as the
 * floats it encodes ({@link #assertBase64Embeddings}).
 */
public final class OpenAiSchema {
    private static final String DOCUMENT = "fixtures/openai-schema/openai.schema.json";
    private static final String DEFS = "#/$defs/";
    /** Enough to name the problem; a failed anyOf over dozens of members otherwise prints pages. */
    private static final int SHOWN = 8;
    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
    private static final JsonNode DEFINITIONS = readDefinitions();
    private static final Map<String, String> EVENT_SCHEMAS = eventSchemas();

    private OpenAiSchema() {
    }

    /** Violations of {@code definition} by {@code value}, each {@code <instance location>: <problem>}; empty if valid. */
    public static List<String> violations(String definition, JsonNode value) {
        return schema(definition).validate(value).stream()
                .map(error -> error.getInstanceLocation() + ": " + error.getMessage())
                .toList();
    }

    /** Throws {@link AssertionError} naming the violations of {@code definition} by {@code value}. */
    public static void assertValid(String definition, JsonNode value) {
        List<Error> errors = schema(definition).validate(value);
        if (!errors.isEmpty()) {
            throw new AssertionError("not a valid " + definition + " (" + errors.size() + " violations, first "
                    + errors.subList(0, Math.min(SHOWN, errors.size())) + "): " + value);
        }
    }

    /** A chat completion ({@code POST /v1/chat/completions} without streaming). */
    public static void assertChatCompletion(JsonNode completion) {
        assertValid("CreateChatCompletionResponse", completion);
    }

    /** One {@code chat.completion.chunk} of a chat completions stream (the data of one SSE event). */
    public static void assertChatChunk(JsonNode chunk) {
        assertValid("CreateChatCompletionStreamResponse", chunk);
    }

    /** An embeddings answer ({@code POST /v1/embeddings}). */
    public static void assertEmbeddings(JsonNode embeddings) {
        assertValid("CreateEmbeddingResponse", embeddings);
    }

    /**
     * An embeddings answer to {@code encoding_format: "base64"}. The spec describes only the float form, so each
     * {@code data[].embedding} must be the base64 of little-endian float32 values, and the answer is then checked as
     * the float answer it encodes.
     */
    public static void assertBase64Embeddings(JsonNode embeddings) {
        JsonNode decoded = embeddings.deepCopy();
        for (JsonNode item : decoded.path("data")) {
            JsonNode embedding = item.path("embedding");
            if (!embedding.isTextual() || !(item instanceof ObjectNode object)) {
                throw new AssertionError("data[].embedding is not a base64 string: " + embeddings);
            }
            ArrayNode floats = object.putArray("embedding");
            for (float value : float32s(embedding.asText())) {
                floats.add(value);
            }
        }
        assertEmbeddings(decoded);
    }

    /** OpenAI's error envelope, {@code {"error":{"message","type","param","code"}}}. */
    public static void assertError(JsonNode envelope) {
        assertValid("ErrorResponse", envelope);
    }

    /** A Responses API {@code Response} object. */
    public static void assertResponse(JsonNode response) {
        assertValid("Response", response);
    }

    /** The answer of {@code GET /v1/responses/{id}/input_items}: a page of a stored response's input items. */
    public static void assertResponseItemList(JsonNode list) {
        assertValid("ResponseItemList", list);
    }

    /**
     * A Responses stream event: checked against the schema of its own {@code type}, which names the offending field
     * precisely, and against the union of all event schemas; an unknown type fails.
     */
    public static void assertStreamEvent(JsonNode event) {
        String type = event.path("type").asText("");
        String definition = EVENT_SCHEMAS.get(type);
        if (definition == null) {
            throw new AssertionError("no stream event of type '" + type + "' in the OpenAPI schema: " + event);
        }
        assertValid(definition, event);
        assertValid("ResponseStreamEvent", event);
    }

    private static float[] float32s(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("not base64: " + base64, e);
        }
        if (bytes.length % Float.BYTES != 0) {
            throw new AssertionError(bytes.length + " bytes are not a whole number of float32 values: " + base64);
        }
        FloatBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    private static Schema schema(String definition) {
        return SCHEMAS.computeIfAbsent(definition, name -> {
            if (!DEFINITIONS.has(name)) {
                throw new IllegalArgumentException("no definition " + name + " in " + DOCUMENT);
            }
            return REGISTRY.getSchema(SchemaLocation.of("classpath:" + DOCUMENT + DEFS + name));
        });
    }

    /** Event type to the name of its schema, read from the members of the union. */
    private static Map<String, String> eventSchemas() {
        Map<String, String> byType = new HashMap<>();
        for (JsonNode member : DEFINITIONS.path("ResponseStreamEvent").path("anyOf")) {
            String name = member.path("$ref").asText().substring(DEFS.length());
            for (JsonNode type : DEFINITIONS.path(name).path("properties").path("type").path("enum")) {
                byType.put(type.asText(), name);
            }
        }
        return Map.copyOf(byType);
    }

    private static JsonNode readDefinitions() {
        try (InputStream in = OpenAiSchema.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException("missing " + DOCUMENT);
            }
            return new ObjectMapper().readTree(in).path("$defs");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
