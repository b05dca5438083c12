package ai.higress.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * Validates Responses API objects against the official OpenAPI schemas ({@code Response}, {@code ResponseStreamEvent}
 * and what they reference), copied into {@code fixtures/openai-schema/} (see its PROVENANCE.md). A stream event is
 * checked against the schema of its own {@code type}, which names the offending field precisely, and against the
 * union of all event schemas.
 */
public final class OpenAiResponsesSchema {
    private static final String DOCUMENT = "fixtures/openai-schema/responses.schema.json";
    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
    private static final Map<String, String> EVENT_SCHEMAS = eventSchemas();

    private OpenAiResponsesSchema() {
    }

    /** Fails with every violation when {@code response} is not a valid Response object. */
    public static void assertResponse(JsonNode response) {
        assertValid("Response", response);
    }

    /** Fails when {@code event} is not a valid Responses stream event of a known type. */
    public static void assertStreamEvent(JsonNode event) {
        String type = event.path("type").asText("");
        String schema = EVENT_SCHEMAS.get(type);
        if (schema == null) {
            throw new AssertionError("no stream event of type '" + type + "' in the OpenAPI schema: " + event);
        }
        assertValid(schema, event);
        assertValid("ResponseStreamEvent", event);
    }

    private static void assertValid(String definition, JsonNode value) {
        Schema schema = SCHEMAS.computeIfAbsent(definition, name -> REGISTRY.getSchema(
                SchemaLocation.of("classpath:" + DOCUMENT + "#/$defs/" + name)));
        List<Error> errors = schema.validate(value);
        if (!errors.isEmpty()) {
            throw new AssertionError("not a valid " + definition + " (" + errors.size() + " violations, first "
                    + errors.subList(0, Math.min(5, errors.size())) + "): " + value);
        }
    }

    /** Event type to the name of its schema, read from the union's members. */
    private static Map<String, String> eventSchemas() {
        try (InputStream in = OpenAiResponsesSchema.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException("missing " + DOCUMENT);
            }
            JsonNode defs = new ObjectMapper().readTree(in).path("$defs");
            Map<String, String> byType = new HashMap<>();
            for (JsonNode member : defs.path("ResponseStreamEvent").path("anyOf")) {
                String name = member.path("$ref").asText().substring("#/$defs/".length());
                for (JsonNode type : defs.path(name).path("properties").path("type").path("enum")) {
                    byType.put(type.asText(), name);
                }
            }
            return Map.copyOf(byType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
