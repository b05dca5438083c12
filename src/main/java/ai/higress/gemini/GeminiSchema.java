package ai.higress.gemini;

import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Gemini's OpenAPI-subset {@code Schema} as JSON Schema: type names are upper case there ({@code OBJECT}) and
 * {@code nullable} is a flag rather than a type union. Everything else shares its JSON Schema meaning and is kept.
 */
final class GeminiSchema {

    private GeminiSchema() {
    }

    static ObjectNode toJsonSchema(JsonNode schema) {
        ObjectNode copy = (ObjectNode) Refusal.object(schema, "schema").deepCopy();
        normalise(copy);
        return copy;
    }

    private static void normalise(ObjectNode schema) {
        if (schema.path("type").isTextual()) {
            String type = schema.get("type").textValue().toLowerCase(Locale.ROOT);
            if (schema.path("nullable").asBoolean(false)) {
                ArrayNode union = schema.putArray("type");
                union.add(type).add("null");
            } else {
                schema.put("type", type);
            }
        }
        schema.remove("nullable");
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            if (property.getValue().isObject()) {
                normalise((ObjectNode) property.getValue());
            }
        }
        for (String nested : new String[] {"items"}) {
            if (schema.path(nested).isObject()) {
                normalise((ObjectNode) schema.get(nested));
            }
        }
        for (JsonNode option : schema.path("anyOf")) {
            if (option.isObject()) {
                normalise((ObjectNode) option);
            }
        }
    }
}
