package ai.higress.provider.gemini;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Converts a JSON Schema (function parameters, {@code response_format.json_schema.schema}) into Gemini's
 * {@code Schema}, a subset of the OpenAPI 3.0 schema object. Keywords Gemini shares are kept (types upper-cased),
 * local {@code $ref}s are inlined, {@code ["T","null"]} and {@code anyOf [T, null]} become {@code nullable},
 * {@code oneOf} becomes {@code anyOf}. Keywords that only tighten validation, or only annotate, are dropped (as a
 * JSON Schema validator ignores annotations); keywords that change what is valid in a way Gemini cannot express are
 * refused naming the keyword's path. The table is in docs/providers.md.
 */
final class GeminiSchemas {
    private static final int MAX_DEPTH = 64;

    /** Copied as they are. */
    private static final Set<String> KEPT = Set.of("description", "title", "nullable", "required", "minItems",
            "maxItems", "minLength", "maxLength", "minProperties", "maxProperties", "minimum", "maximum", "pattern",
            "default", "example", "propertyOrdering");

    /** Cannot be expressed: refused. */
    private static final Set<String> REFUSED = Set.of("not", "if", "then", "else", "patternProperties",
            "dependentRequired", "dependentSchemas", "dependencies", "contains", "minContains", "maxContains",
            "propertyNames", "prefixItems", "unevaluatedItems", "$dynamicRef", "$recursiveRef");

    /** Formats Gemini honours, by (upper-case) type; other formats are dropped. */
    private static final Map<String, Set<String>> FORMATS = Map.of("STRING", Set.of("date-time", "enum"),
            "NUMBER", Set.of("float", "double"), "INTEGER", Set.of("int32", "int64"));

    private final JsonNode root;
    private final Set<String> expanding = new HashSet<>();

    private GeminiSchemas(JsonNode root) {
        this.root = root;
    }

    /**
     * {@code schema} as a Gemini schema.
     *
     * @param param the schema's place in the request, for refusals
     */
    static ObjectNode convert(JsonNode schema, String param) {
        return new GeminiSchemas(schema).node(schema, param, 0);
    }

    /** Whether {@code schema} describes an object without any property (Gemini rejects such function parameters). */
    static boolean isEmptyObject(JsonNode schema) {
        return schema.isObject() && "object".equals(schema.path("type").asText("object"))
                && schema.path("properties").isEmpty() && !schema.has("anyOf") && !schema.has("oneOf")
                && !schema.has("allOf") && !schema.has("$ref");
    }

    private ObjectNode node(JsonNode schema, String param, int depth) {
        if (depth > MAX_DEPTH) {
            throw Refusals.unsupported(param, "The schema at '" + param + "' is nested more than " + MAX_DEPTH
                    + " levels deep.");
        }
        if (!schema.isObject()) {
            throw Refusals.unsupported(param, "The schema at '" + param + "' must be an object; boolean schemas "
                    + "cannot be expressed in Gemini's schema format.");
        }
        if (schema.has("$ref")) {
            return reference(schema, param, depth);
        }
        ObjectNode out = Json.object();
        if (schema.has("allOf")) {
            mergeAllOf(schema, param, depth, out);
        }
        for (Map.Entry<String, JsonNode> field : schema.properties()) {
            keyword(field.getKey(), field.getValue(), schema, param, depth, out);
        }
        if (!out.has("type") && !out.has("anyOf")) {
            inferType(out);
        }
        dropUnsupportedFormat(out);
        return out;
    }

    private void keyword(String name, JsonNode value, JsonNode schema, String param, int depth, ObjectNode out) {
        String path = param + "." + name;
        if (REFUSED.contains(name)) {
            throw Refusals.unsupported(path, "The JSON Schema keyword '" + name + "' (at '" + path + "') cannot be "
                    + "expressed in Gemini's schema format.");
        }
        if (KEPT.contains(name)) {
            out.set(name, value.deepCopy());
            return;
        }
        switch (name) {
            case "type" -> type(value, path, out);
            case "format" -> out.set("format", value.deepCopy());
            case "enum" -> enumeration(value, path, out);
            case "const" -> enumeration(Json.MAPPER.createArrayNode().add(value), path, out);
            case "properties" -> properties(value, path, depth, out);
            case "items" -> items(value, path, depth, out);
            case "anyOf", "oneOf" -> anyOf(value, param + "." + name, depth, out);
            default -> {
                // allOf is merged above; $defs are inlined where referenced; the rest only tighten validation
                // (additionalProperties, multipleOf, uniqueItems, exclusive bounds) or annotate ($schema, $id,
                // examples, readOnly, unknown keywords): dropped, see docs/providers.md
            }
        }
    }

    private static void type(JsonNode value, String path, ObjectNode out) {
        if (value.isTextual()) {
            out.put("type", value.asText().toUpperCase(Locale.ROOT));
            return;
        }
        if (!value.isArray()) {
            throw Refusals.invalid(path, "'" + path + "' must be a string or an array of strings.");
        }
        String single = null;
        for (JsonNode type : value) {
            if ("null".equals(type.asText())) {
                out.put("nullable", true);
            } else if (single == null) {
                single = type.asText();
            } else {
                throw Refusals.unsupported(path, "'" + path + "' names more than one non-null type; Gemini's schema "
                        + "format needs anyOf for that.");
            }
        }
        out.put("type", single == null ? "NULL" : single.toUpperCase(Locale.ROOT));
    }

    private static void enumeration(JsonNode values, String path, ObjectNode out) {
        if (!values.isArray()) {
            throw Refusals.invalid(path, "'" + path + "' must be an array.");
        }
        ArrayNode strings = out.putArray("enum");
        for (JsonNode value : values) {
            if (value.isNull()) {
                out.put("nullable", true);
            } else if (value.isTextual()) {
                strings.add(value.asText());
            } else {
                throw Refusals.unsupported(path, "'" + path + "' has a non-string value; Gemini's schema format only "
                        + "has string enums.");
            }
        }
        if (!out.has("type")) {
            out.put("type", "STRING");
        }
    }

    private void properties(JsonNode value, String path, int depth, ObjectNode out) {
        ObjectNode converted = out.putObject("properties");
        for (Map.Entry<String, JsonNode> property : value.properties()) {
            converted.set(property.getKey(), node(property.getValue(), path + "." + property.getKey(), depth + 1));
        }
    }

    private void items(JsonNode value, String path, int depth, ObjectNode out) {
        if (value.isArray()) {
            throw Refusals.unsupported(path, "Tuple validation ('" + path + "' as an array) cannot be expressed in "
                    + "Gemini's schema format.");
        }
        out.set("items", node(value, path, depth + 1));
    }

    /** {@code anyOf: [T, {"type":"null"}]} is a nullable T; any other list stays an anyOf. */
    private void anyOf(JsonNode value, String path, int depth, ObjectNode out) {
        if (!value.isArray() || value.isEmpty()) {
            throw Refusals.invalid(path, "'" + path + "' must be a non-empty array.");
        }
        ArrayNode options = Json.MAPPER.createArrayNode();
        boolean nullable = false;
        for (int i = 0; i < value.size(); i++) {
            JsonNode option = value.get(i);
            if ("null".equals(option.path("type").asText()) && option.size() == 1) {
                nullable = true;
            } else {
                options.add(node(option, path + "[" + i + "]", depth + 1));
            }
        }
        if (options.size() == 1) {
            out.setAll((ObjectNode) options.get(0));
        } else if (!options.isEmpty()) {
            out.set("anyOf", options);
        } else {
            out.put("type", "NULL");
        }
        if (nullable) {
            out.put("nullable", true);
        }
    }

    private void mergeAllOf(JsonNode schema, String param, int depth, ObjectNode out) {
        JsonNode all = schema.get("allOf");
        if (!all.isArray() || all.size() != 1) {
            throw Refusals.unsupported(param + ".allOf", "Only an allOf with a single schema can be expressed in "
                    + "Gemini's schema format (at '" + param + ".allOf').");
        }
        out.setAll(node(all.get(0), param + ".allOf[0]", depth + 1));
    }

    private ObjectNode reference(JsonNode schema, String param, int depth) {
        String ref = schema.get("$ref").asText();
        String path = param + ".$ref";
        JsonNode target = resolve(ref).orElseThrow(() -> Refusals.unsupported(path, "'" + path + "' (" + ref
                + ") is not a reference to this schema's own $defs or definitions."));
        if (!expanding.add(ref)) {
            throw Refusals.unsupported(path, "'" + path + "' refers to itself; recursive schemas cannot be expressed "
                    + "in Gemini's schema format.");
        }
        try {
            ObjectNode resolved = node(target, param, depth + 1);
            // keywords beside the $ref (a description, typically) refine the referenced schema
            ObjectNode siblings = ((ObjectNode) schema).deepCopy();
            siblings.remove("$ref");
            if (!siblings.isEmpty()) {
                resolved.setAll(node(siblings, param, depth + 1));
            }
            return resolved;
        } finally {
            expanding.remove(ref);
        }
    }

    private Optional<JsonNode> resolve(String ref) {
        for (String container : new String[] {"$defs", "definitions"}) {
            String prefix = "#/" + container + "/";
            if (ref.startsWith(prefix)) {
                JsonNode target = root.path(container).path(ref.substring(prefix.length()));
                return target.isMissingNode() ? Optional.empty() : Optional.of(target);
            }
        }
        return Optional.empty();
    }

    private static void inferType(ObjectNode out) {
        if (out.has("properties")) {
            out.put("type", "OBJECT");
        } else if (out.has("items")) {
            out.put("type", "ARRAY");
        }
    }

    private static void dropUnsupportedFormat(ObjectNode out) {
        JsonNode format = out.get("format");
        if (format != null && !FORMATS.getOrDefault(out.path("type").asText(), Set.of()).contains(format.asText())) {
            out.remove("format");
        }
    }
}
