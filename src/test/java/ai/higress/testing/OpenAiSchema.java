package ai.higress.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Validates JSON against the OpenAI chat-completion schemas copied from the official OpenAPI description (see
 * {@code fixtures/openai-schema/PROVENANCE.md}). A small validator for the keywords those schemas use: {@code $ref},
 * {@code type} (with OpenAPI's {@code nullable}), {@code enum}, {@code required}, {@code properties},
 * {@code additionalProperties}, {@code items}, {@code anyOf}, {@code oneOf} and {@code allOf}; annotations such as
 * {@code format}, {@code default} and {@code discriminator} are not assertions and are ignored.
 */
public final class OpenAiSchema {
    private static final String RESOURCE = "/fixtures/openai-schema/chat-completion-schemas.json";
    private static final String PREFIX = "#/components/schemas/";
    private static final JsonNode SCHEMAS = load();

    private OpenAiSchema() {
    }

    /** Violations of {@code schemaName} by {@code value}, each as {@code <json pointer>: <problem>}; empty if valid. */
    public static List<String> violations(String schemaName, JsonNode value) {
        List<String> problems = new ArrayList<>();
        check(schema(schemaName), value, "", problems);
        return problems;
    }

    /** Throws {@link AssertionError} listing every violation of {@code schemaName} by {@code value}. */
    public static void assertValid(String schemaName, JsonNode value) {
        List<String> problems = violations(schemaName, value);
        if (!problems.isEmpty()) {
            throw new AssertionError(schemaName + " violated: " + problems + " in " + value);
        }
    }

    private static JsonNode schema(String name) {
        JsonNode schema = SCHEMAS.path("components").path("schemas").get(name);
        if (schema == null) {
            throw new IllegalArgumentException("no schema " + name);
        }
        return schema;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> problems) {
        if (schema.has("$ref")) {
            check(schema(schema.get("$ref").asText().substring(PREFIX.length())), value, path, problems);
            return;
        }
        if (value.isNull() && schema.path("nullable").asBoolean(false)) {
            return;
        }
        if (schema.has("type") && !typeMatches(schema.get("type"), value)) {
            problems.add(path + ": expected " + schema.get("type") + " but was " + value.getNodeType());
            return;
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            problems.add(path + ": " + value + " not in " + schema.get("enum"));
        }
        combinators(schema, value, path, problems);
        if (value.isObject()) {
            object(schema, value, path, problems);
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), path + "/" + i, problems);
            }
        }
    }

    private static void combinators(JsonNode schema, JsonNode value, String path, List<String> problems) {
        for (JsonNode part : schema.path("allOf")) {
            check(part, value, path, problems);
        }
        if (schema.has("anyOf") && matching(schema.get("anyOf"), value) == 0) {
            problems.add(path + ": matches none of anyOf");
        }
        if (schema.has("oneOf") && matching(schema.get("oneOf"), value) != 1) {
            problems.add(path + ": matches " + matching(schema.get("oneOf"), value) + " of oneOf, not exactly 1");
        }
    }

    private static int matching(JsonNode alternatives, JsonNode value) {
        int count = 0;
        for (JsonNode alternative : alternatives) {
            List<String> problems = new ArrayList<>();
            check(alternative, value, "", problems);
            if (problems.isEmpty()) {
                count++;
            }
        }
        return count;
    }

    private static void object(JsonNode schema, JsonNode value, String path, List<String> problems) {
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                problems.add(path + ": missing required '" + required.asText() + "'");
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String fieldPath = path + "/" + field.getKey();
            if (properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), fieldPath, problems);
            } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                problems.add(fieldPath + ": not allowed");
            } else if (additional != null && additional.isObject()) {
                check(additional, field.getValue(), fieldPath, problems);
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode one : type) {
                if (typeMatches(one, value)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isNumber() && value.canConvertToExactIntegral();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode allowed : values) {
            if (allowed.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode load() {
        try (InputStream in = OpenAiSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
