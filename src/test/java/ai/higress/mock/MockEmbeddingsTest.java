package ai.higress.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

import ai.higress.testing.OpenAiSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mock's {@code /v1/embeddings}: deterministic hash-seeded unit vectors, float or base64. */
class MockEmbeddingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private MockUpstream mock;

    @BeforeEach
    void start() {
        mock = MockUpstream.start(MockUpstreamConfig.defaults().withoutDelays()
                .withModels(List.of("demo", "demo-embedding")));
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    @Test
    void equalInputsEmbedEquallyAsUnitVectors() throws Exception {
        JsonNode first = embed("{\"model\":\"demo-embedding\",\"input\":[\"hello\",\"world\",\"hello\"]}");
        JsonNode again = embed("{\"model\":\"demo-embedding\",\"input\":\"hello\"}");

        OpenAiSchema.assertEmbeddings(first);
        OpenAiSchema.assertEmbeddings(again);
        assertEquals("list", first.path("object").asText());
        assertEquals("demo-embedding", first.path("model").asText());
        JsonNode data = first.path("data");
        assertEquals(3, data.size());
        assertEquals(2, data.path(2).path("index").asInt());
        assertEquals("embedding", data.path(0).path("object").asText());
        assertEquals(EmbeddingsHandler.DEFAULT_DIMENSIONS, data.path(0).path("embedding").size());
        assertEquals(data.path(0).path("embedding"), data.path(2).path("embedding"), "same text, same vector");
        assertEquals(data.path(0).path("embedding"), again.path("data").path(0).path("embedding"), "across requests");
        assertNotEquals(data.path(0).path("embedding"), data.path(1).path("embedding"));
        double norm = 0;
        for (JsonNode value : data.path(1).path("embedding")) {
            norm += value.doubleValue() * value.doubleValue();
        }
        assertEquals(1.0, norm, 1e-5);
        assertEquals(6, first.path("usage").path("prompt_tokens").asInt(),
                "five characters are two tokens (a token per four, rounded up), three times");
        assertEquals(6, first.path("usage").path("total_tokens").asInt());
    }

    @Test
    void base64CarriesTheSameLittleEndianFloatsAndDimensionsSetTheSize() throws Exception {
        JsonNode floats = embed("{\"model\":\"demo\",\"input\":\"hello\",\"dimensions\":8}");
        JsonNode base64 = embed("{\"model\":\"demo\",\"input\":\"hello\",\"dimensions\":8,"
                + "\"encoding_format\":\"base64\"}");

        OpenAiSchema.assertEmbeddings(floats);
        OpenAiSchema.assertBase64Embeddings(base64);
        JsonNode values = floats.path("data").path(0).path("embedding");
        assertEquals(8, values.size());
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64.path("data").path(0).path("embedding")
                .asText())).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(8 * Float.BYTES, bytes.remaining());
        for (JsonNode value : values) {
            assertEquals(value.floatValue(), bytes.getFloat());
        }
    }

    @Test
    void tokenIdsEmbedAndCountOnePerId() throws Exception {
        JsonNode answer = embed("{\"model\":\"demo\",\"input\":[[1,2,3],[4]]}");
        OpenAiSchema.assertEmbeddings(answer);

        assertEquals(2, answer.path("data").size());
        assertEquals(4, answer.path("usage").path("prompt_tokens").asInt());
    }

    @Test
    void unknownModelsAndMissingInputAreOpenAiErrors() throws Exception {
        HttpResponse<String> unknown = post("{\"model\":\"other\",\"input\":\"x\"}");
        assertEquals(404, unknown.statusCode());
        OpenAiSchema.assertError(JSON.readTree(unknown.body()));
        assertEquals("model_not_found", JSON.readTree(unknown.body()).path("error").path("code").asText());
        HttpResponse<String> missing = post("{\"model\":\"demo\"}");
        assertEquals(400, missing.statusCode());
        OpenAiSchema.assertError(JSON.readTree(missing.body()));
        assertEquals("input", JSON.readTree(missing.body()).path("error").path("param").asText());
        assertEquals(400, post("{\"model\":\"demo\",\"input\":\"x\",\"dimensions\":0}").statusCode());
    }

    private JsonNode embed(String body) throws Exception {
        HttpResponse<String> response = post(body);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(mock.baseUri() + "/embeddings"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
