package ai.higress.provider.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * Validates OpenAI-shaped output against the published OpenAPI schemas ({@code CreateChatCompletionResponse} and
 * {@code CreateChatCompletionStreamResponse}, fixtures/openai-schema/PROVENANCE.md).
 */
final class OpenAiSchemaCheck {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Schema COMPLETION = schema("CreateChatCompletionResponse");
    private static final Schema CHUNK = schema("CreateChatCompletionStreamResponse");

    private OpenAiSchemaCheck() {
    }

    /** Fails listing every violation when {@code completion} is not a valid chat completion. */
    static void assertCompletion(JsonNode completion) {
        assertEquals(List.of(), messages(COMPLETION.validate(completion)), completion.toString());
    }

    /** Fails listing every violation when {@code chunk} is not a valid chat completion chunk. */
    static void assertChunk(JsonNode chunk) {
        assertEquals(List.of(), messages(CHUNK.validate(chunk)), chunk.toString());
    }

    static List<String> completionViolations(JsonNode completion) {
        return messages(COMPLETION.validate(completion));
    }

    static List<String> chunkViolations(JsonNode chunk) {
        return messages(CHUNK.validate(chunk));
    }

    private static List<String> messages(List<Error> errors) {
        return errors.stream().map(Error::toString).toList();
    }

    private static Schema schema(String name) {
        ObjectNode document;
        try (InputStream in = OpenAiSchemaCheck.class.getResourceAsStream(
                "/fixtures/openai-schema/chat-completion-schemas.json")) {
            document = (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        allowNullWhereNullable(document);
        document.put("$schema", SpecificationVersion.DRAFT_2020_12.getDialectId());
        document.put("$ref", "#/components/schemas/" + name);
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(document);
    }

    /** OpenAPI 3.0's {@code nullable: true}, which JSON Schema ignores, as a type (and enum) that admits null. */
    private static void allowNullWhereNullable(JsonNode node) {
        if (node instanceof ObjectNode object && object.path("nullable").asBoolean(false)
                && object.path("type").isTextual()) {
            ArrayNode types = MAPPER.createArrayNode().add(object.get("type").asText()).add("null");
            object.set("type", types);
            if (object.get("enum") instanceof ArrayNode values) {
                values.addNull();
            }
        }
        for (JsonNode child : node) {
            allowNullWhereNullable(child);
        }
    }
}
