package ai.higress.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import ai.higress.error.ErrorType;
import ai.higress.error.GatewayException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Embeddings bodies recorded from real OpenAI traffic parse; malformed ones fail at the edge naming the parameter. */
class EmbeddingsRequestParserTest {

    @Test
    void aSingleStringAsRecorded() {
        EmbeddingsRequest request = parse(fixture("embeddings-basic.request.json"));

        assertEquals("text-embedding-3-small", request.model());
        assertEquals(List.of(new EmbeddingInput.Text("How do I reset my password?")), request.inputs());
        assertEquals(EncodingFormat.FLOAT, request.encoding());
        assertEquals(0, request.dimensions(), "the model's own size");
        assertEquals(7, request.estimatedTokens(), "27 characters, a token per four rounded up");
        assertEquals(RequestFeatures.embeddings(false, 7), request.features());
        assertFalse(request.tokenInput());
    }

    @Test
    void base64AndDimensions() {
        assertEquals(EncodingFormat.BASE64, parse(fixture("embeddings-base64.request.json")).encoding());
        EmbeddingsRequest sized = parse(fixture("embeddings-dimensions.request.json"));
        assertEquals(256, sized.dimensions());
        assertEquals(EncodingFormat.BASE64, sized.encoding());
    }

    @Test
    void oneTokenizedTextIsOneInputOfTokenIds() {
        EmbeddingsRequest request = parse(fixture("embeddings-tokens.request.json"));

        assertEquals(List.of(new EmbeddingInput.TokenIds(7)), request.inputs());
        assertTrue(request.tokenInput());
        assertEquals(RequestFeatures.embeddings(true, 7), request.features(), "token ids are counted exactly");
        EmbeddingsRequest batch = parse("{\"model\":\"m\",\"input\":[[1,2,3],[4]]}");
        assertEquals(List.of(new EmbeddingInput.TokenIds(3), new EmbeddingInput.TokenIds(1)), batch.inputs());
        assertEquals(4, batch.estimatedTokens());
        assertEquals(3, batch.features().promptTokens(), "the context window is checked against the longest input");
    }

    @Test
    void batchesOfStringsKeepTheirOrderAndWhitespace() {
        EmbeddingsRequest mixed = parse(fixture("embeddings-mixed-batch.request.json"));
        assertEquals(5, mixed.inputs().size());
        assertEquals(new EmbeddingInput.Text("Здравствуй мир"), mixed.inputs().get(1));
        assertEquals(60, mixed.features().promptTokens(), "the longest input: 238 characters");

        EmbeddingsRequest whitespace = parse(fixture("embeddings-whitespace.request.json"));
        assertEquals(new EmbeddingInput.Text("  \n  \t  "), whitespace.inputs().get(4), "blank is not empty");
    }

    @Test
    void nullsMeanDefaultsAndUnknownParametersStayInTheBody() {
        EmbeddingsRequest request = parse("{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":null,"
                + "\"dimensions\":null,\"user\":null,\"input_type\":\"query\"}");

        assertEquals(EncodingFormat.FLOAT, request.encoding());
        assertEquals(0, request.dimensions());
        assertEquals("query", request.body().path("input_type").asText(), "vendor extensions pass through");
        assertEquals("u-1", parse("{\"model\":\"m\",\"input\":\"x\",\"user\":\"u-1\"}").body().path("user").asText());
    }

    @Test
    void theRecordedBadRequestFailsOnItsDimensionsAsOpenAiDid() {
        assertInvalid(new String(fixture("embeddings-bad-request.request.json"), StandardCharsets.UTF_8),
                "dimensions", "invalid_value", "Invalid value for 'dimensions': -1 is less than the minimum of 1.");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"input\":\"x\"}|model|",
            "{\"model\":\"m\"}|input|missing_required_parameter",
            "{\"model\":\"m\",\"input\":null}|input|missing_required_parameter",
            "{\"model\":\"m\",\"input\":\"\"}|input|empty_string",
            "{\"model\":\"m\",\"input\":[]}|input|empty_array",
            "{\"model\":\"m\",\"input\":{\"text\":\"x\"}}|input|invalid_type",
            "{\"model\":\"m\",\"input\":5}|input|invalid_type",
            "{\"model\":\"m\",\"input\":[\"a\",\"\"]}|input[1]|empty_string",
            "{\"model\":\"m\",\"input\":[\"a\",1]}|input[1]|invalid_type",
            "{\"model\":\"m\",\"input\":[1,\"a\"]}|input[1]|invalid_type",
            "{\"model\":\"m\",\"input\":[1,-2]}|input[1]|invalid_type",
            "{\"model\":\"m\",\"input\":[1.5]}|input[0]|invalid_type",
            "{\"model\":\"m\",\"input\":[true]}|input[0]|invalid_type",
            "{\"model\":\"m\",\"input\":[[1],[]]}|input[1]|empty_array",
            "{\"model\":\"m\",\"input\":[[1],\"a\"]}|input[1]|invalid_type",
            "{\"model\":\"m\",\"input\":[[1],[2,\"x\"]]}|input[1][1]|invalid_type",
            "{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":\"hex\"}|encoding_format|invalid_value",
            "{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":1}|encoding_format|invalid_type",
            "{\"model\":\"m\",\"input\":\"x\",\"dimensions\":\"256\"}|dimensions|invalid_type",
            "{\"model\":\"m\",\"input\":\"x\",\"dimensions\":1.5}|dimensions|invalid_type",
            "{\"model\":\"m\",\"input\":\"x\",\"dimensions\":0}|dimensions|invalid_value",
            "{\"model\":\"m\",\"input\":\"x\",\"user\":5}|user|invalid_type"})
    void malformedRequestsNameTheParameter(String body, String param, String code) {
        assertInvalid(body, param, code, null);
    }

    @Test
    void atMost2048Inputs() {
        String inputs = "\"a\",".repeat(EmbeddingsRequestParser.MAX_INPUTS);
        assertEquals(2048, parse("{\"model\":\"m\",\"input\":[" + inputs.substring(0, inputs.length() - 1) + "]}")
                .inputs().size());
        assertInvalid("{\"model\":\"m\",\"input\":[" + inputs + "\"b\"]}", "input", "array_above_max_length",
                "Invalid 'input': array too long. Expected an array with maximum length 2048, but got an array with "
                        + "length 2049 instead.");
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsRejected() {
        assertInvalid("[1,2]", null, null, "The request body must be a JSON object.");
        assertInvalid("{\"model\":", null, null, null);
    }

    private static EmbeddingsRequest parse(String body) {
        return EmbeddingsRequestParser.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private static EmbeddingsRequest parse(byte[] body) {
        return EmbeddingsRequestParser.parse(body);
    }

    private static void assertInvalid(String body, String param, String code, String message) {
        GatewayException failure = assertThrows(GatewayException.class, () -> parse(body));
        assertEquals(400, failure.status(), failure.getMessage());
        assertEquals(ErrorType.INVALID_REQUEST, failure.type());
        assertEquals(Optional.ofNullable(param), failure.param(), failure.getMessage());
        if (code != null) {
            assertEquals(Optional.of(code), failure.code(), failure.getMessage());
        }
        if (message != null) {
            assertEquals(message, failure.getMessage());
        }
    }

    private static byte[] fixture(String name) {
        try (InputStream in = EmbeddingsRequestParserTest.class.getResourceAsStream("/fixtures/openai/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
