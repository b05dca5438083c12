package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Embeddings as the official OpenAI Java SDK sees them, against the zero-config demo provider's
 * {@code demo-embedding} model, with response validation on and retries off.
 */
class OpenAiSdkEmbeddingsTest {
    private TestGateway gateway;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        gateway = TestGateway.start("demo: {enabled: true, first-token-delay: PT0S, token-interval: PT0S}");
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.uri("/v1").toString()).apiKey(TestGateway.KEY)
                .maxRetries(0).responseValidation(true).build();
    }

    @AfterEach
    void stop() {
        client.close();
        gateway.close();
    }

    @Test
    void embeddingsCreateThroughTheSdk() {
        EmbeddingCreateParams params = EmbeddingCreateParams.builder().model("demo-embedding")
                .inputOfArrayOfStrings(List.of("How do I reset my password?", "Where is my order?")).build();

        try (HttpResponseFor<CreateEmbeddingResponse> raw = client.embeddings().withRawResponse().create(params)) {
            assertEquals(200, raw.statusCode());
            assertEquals(List.of("demo"), raw.headers().values("x-higress-provider"));
            assertEquals(List.of("demo-embedding"), raw.headers().values("x-higress-model"));
            CreateEmbeddingResponse response = raw.parse();
            assertEquals("demo-embedding", response.model());
            assertEquals(2, response.data().size());
            Embedding second = response.data().get(1);
            assertEquals(1, second.index());
            assertEquals(256, second.embedding().size());
            assertNotEquals(response.data().get(0).embedding(), second.embedding());
            // 27 and 18 characters: 7 + 5 tokens at a token per four characters
            assertEquals(12, response.usage().promptTokens());
            assertEquals(12, response.usage().totalTokens());
        }
    }

    @Test
    void base64AndDimensionsDecodeToTheSameVector() {
        EmbeddingCreateParams.Builder params = EmbeddingCreateParams.builder().model("demo-embedding")
                .input("Say hello").dimensions(16);
        List<Float> floats = client.embeddings().create(params
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build()).data().get(0).embedding();
        Embedding base64 = client.embeddings().create(params
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build()).data().get(0);

        assertEquals(16, floats.size());
        assertEquals(true, base64.embeddingValue().isBase64(), "the gateway relayed the upstream's base64");
        assertEquals(floats, base64.embedding(), "the SDK decodes little-endian float32");
    }

    @Test
    void aChatModelIsNotAnEmbeddingModel() {
        BadRequestException refused = assertThrows(BadRequestException.class, () -> client.embeddings().create(
                EmbeddingCreateParams.builder().model("demo").input("x").build()));

        assertEquals("unsupported_capability", refused.code().orElseThrow());
        assertEquals("model", refused.param().orElseThrow());
    }
}
