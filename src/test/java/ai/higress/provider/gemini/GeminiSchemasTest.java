package ai.higress.provider.gemini;

import static ai.higress.provider.gemini.GeminiFixtures.tree;
import static ai.higress.provider.gemini.GeminiRequestTest.assertRefusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.higress.error.UpstreamException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSON Schema to Gemini's schema subset, keyword by keyword (the composite case is fixtures/gemini/request-schema). */
class GeminiSchemasTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"integer\",\"format\":\"int64\"}|{\"type\":\"INTEGER\",\"format\":\"int64\"}",
            "{\"type\":\"string\",\"format\":\"email\"}|{\"type\":\"STRING\"}",
            "{\"type\":[\"null\",\"boolean\"]}|{\"nullable\":true,\"type\":\"BOOLEAN\"}",
            "{\"type\":\"null\"}|{\"type\":\"NULL\"}",
            "{\"properties\":{\"a\":{\"type\":\"string\"}}}|{\"properties\":{\"a\":{\"type\":\"STRING\"}},"
                    + "\"type\":\"OBJECT\"}",
            "{\"items\":{\"type\":\"number\"},\"maxItems\":3}|{\"items\":{\"type\":\"NUMBER\"},\"maxItems\":3,"
                    + "\"type\":\"ARRAY\"}",
            "{\"type\":\"string\",\"enum\":[\"a\",null]}|{\"type\":\"STRING\",\"enum\":[\"a\"],\"nullable\":true}",
            "{\"anyOf\":[{\"type\":\"null\"}]}|{\"type\":\"NULL\",\"nullable\":true}",
            "{\"type\":\"object\",\"x-vendor\":1,\"$comment\":\"c\",\"readOnly\":true,\"properties\":{}}"
                    + "|{\"type\":\"OBJECT\",\"properties\":{}}",
            "{\"$ref\":\"#/definitions/a\",\"description\":\"why\",\"definitions\":{\"a\":{\"type\":\"string\"}}}"
                    + "|{\"type\":\"STRING\",\"description\":\"why\"}"})
    void converted(String schema, String expected) {
        assertEquals(tree(expected), GeminiSchemas.convert(tree(schema), "p"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"$defs\":{\"n\":{\"type\":\"object\",\"properties\":{\"next\":{\"$ref\":\"#/$defs/n\"}}}},"
                    + "\"$ref\":\"#/$defs/n\"}|p.properties.next.$ref|unsupported_parameter",
            "{\"$ref\":\"https://example.com/schema.json\"}|p.$ref|unsupported_parameter",
            "{\"type\":[\"string\",\"integer\"]}|p.type|unsupported_parameter",
            "{\"type\":\"integer\",\"enum\":[1,2]}|p.enum|unsupported_parameter",
            "{\"const\":3}|p.const|unsupported_parameter",
            "{\"allOf\":[{\"type\":\"object\"},{\"required\":[\"a\"]}]}|p.allOf|unsupported_parameter",
            "{\"type\":\"array\",\"items\":[{\"type\":\"string\"}]}|p.items|unsupported_parameter",
            "{\"type\":\"object\",\"properties\":{\"a\":true}}|p.properties.a|unsupported_parameter",
            "{\"type\":\"object\",\"patternProperties\":{\"^x\":{}}}|p.patternProperties|unsupported_parameter",
            "{\"if\":{\"type\":\"string\"},\"then\":{\"minLength\":1}}|p.if|unsupported_parameter"})
    void refused(String schema, String param, String code) {
        UpstreamException failure = assertThrows(UpstreamException.class,
                () -> GeminiSchemas.convert(tree(schema), "p"));
        assertRefusal(failure, param, code);
    }

    @Test
    void emptyObjectDetection() {
        assertTrue(GeminiSchemas.isEmptyObject(tree("{\"type\":\"object\",\"properties\":{}}")));
        assertTrue(GeminiSchemas.isEmptyObject(tree("{}")));
        assertFalse(GeminiSchemas.isEmptyObject(tree("{\"type\":\"object\",\"properties\":{\"a\":{}}}")));
        assertFalse(GeminiSchemas.isEmptyObject(tree("{\"$ref\":\"#/$defs/a\"}")));
        assertFalse(GeminiSchemas.isEmptyObject(tree("{\"type\":\"string\"}")));
    }
}
