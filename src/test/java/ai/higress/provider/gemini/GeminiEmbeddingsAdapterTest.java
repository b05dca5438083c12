package ai.higress.provider.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import ai.higress.config.GatewayConfig;
import ai.higress.config.ProviderConfig;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.EmbeddingsResult;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamRequest;
import ai.higress.schema.EmbeddingsRequest;
import ai.higress.schema.EmbeddingsRequestParser;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;
import ai.higress.testing.OpenAiSchema;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

/**
 * OpenAI embeddings requests to Gemini's batchEmbedContents and back, against the recorded OpenAI requests and
 * hand-written Gemini answers (fixtures/gemini/embeddings/PROVENANCE.md).
 */
class GeminiEmbeddingsAdapterTest {
    private static final String KEY = "AIza-test-upstream-0123456789";
    private static final ProviderConfig GEMINI = provider("{type: gemini, api-key: " + KEY + "}");
    private static final Target TARGET = new Target(GEMINI, "gemini-embedding-001", 1)
            .withKey(GEMINI.keys().getFirst());

    private final GeminiEmbeddingsAdapter adapter = new GeminiEmbeddingsAdapter(
            Clock.fixed(Instant.parse("2025-09-29T07:44:03Z"), ZoneOffset.UTC));

    @Test
    void eachInputBecomesOneEmbedContentRequest() {
        EmbeddingsRequest request = parse(openAiFixture("embeddings-mixed-batch.request.json"));
        UpstreamRequest upstream = adapter.toUpstream(request, TARGET, "req-9");

        assertEquals("/models/gemini-embedding-001:batchEmbedContents", upstream.path());
        JsonNode requests = tree(upstream.body()).path("requests");
        assertEquals(5, requests.size());
        for (int i = 0; i < requests.size(); i++) {
            JsonNode item = requests.get(i);
            assertEquals("models/gemini-embedding-001", item.path("model").asText());
            assertEquals(request.body().path("input").get(i).asText(),
                    item.path("content").path("parts").path(0).path("text").asText());
            assertEquals(1, item.path("content").path("parts").size());
            assertFalse(item.has("outputDimensionality"));
            assertFalse(item.has("taskType"), "Gemini's default task type");
        }
        assertEquals(1, tree(upstream.body()).size(),
                "nothing but requests: encoding_format is applied by the gateway");
        assertEquals(KEY, upstream.headers().get("x-goog-api-key"));
        assertFalse(upstream.headers().containsKey("authorization"));
        assertEquals("req-9", upstream.headers().get("x-request-id"));
    }

    @Test
    void dimensionsBecomeOutputDimensionalityAndUnknownParametersAreDropped() {
        EmbeddingsRequest request = parse(("{\"model\":\"m\",\"input\":\"Generate embeddings\",\"dimensions\":256,"
                + "\"user\":\"u-1\",\"input_type\":\"query\"}").getBytes(StandardCharsets.UTF_8));
        ObjectNode sent = (ObjectNode) tree(adapter.toUpstream(request,
                new Target(GEMINI, "models/text-embedding-004", 1), "r").body());

        ObjectNode expected = (ObjectNode) tree(("{\"requests\":[{\"model\":\"models/text-embedding-004\",\"content\":"
                + "{\"parts\":[{\"text\":\"Generate embeddings\"}]},\"outputDimensionality\":256}]}")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, sent, "a configured models/ prefix is not doubled; user and input_type are dropped");
    }

    @Test
    void tokenIdsAreRefusedNamingInput() {
        UpstreamException failure = assertThrows(UpstreamException.class, () -> adapter.toUpstream(
                parse(openAiFixture("embeddings-tokens.request.json")), TARGET, "r"));

        assertEquals(ErrorKind.BAD_REQUEST, failure.kind());
        assertEquals(400, failure.status());
        assertEquals(Optional.of("input"), failure.param());
    }

    @Test
    void theAnswerBecomesAnOpenAiListWithEstimatedUsage() {
        EmbeddingsRequest request = parse("{\"model\":\"m\",\"input\":[\"first text\",\"second\"]}"
                .getBytes(StandardCharsets.UTF_8));
        EmbeddingsResult result = adapter.toResponse(request, geminiFixture("batch-embed.response.json"), TARGET);

        JsonNode body = tree(result.body());
        OpenAiSchema.assertEmbeddings(body);
        assertEquals("list", body.path("object").asText());
        assertEquals("gemini-embedding-001", body.path("model").asText());
        assertEquals(2, body.path("data").size());
        assertEquals("embedding", body.path("data").path(1).path("object").asText());
        assertEquals(1, body.path("data").path(1).path("index").asInt());
        assertEquals(-1.2015738e-05f, body.path("data").path(1).path("embedding").path(2).floatValue());
        assertEquals(0.013168523f, body.path("data").path(0).path("embedding").path(0).floatValue());
        // "first text" is 10 characters (3 tokens), "second" 6 (2 tokens)
        assertEquals("{\"prompt_tokens\":5,\"total_tokens\":5}", body.path("usage").toString());
        assertEquals(new Usage(5, 0, 5, 0, 0), result.usage());
        assertTrue(result.estimated());
    }

    @Test
    void base64IsTheExactLittleEndianFloat32EncodingOpenAiSends() throws IOException {
        // the recorded float answer's values, as a Gemini answer for the same text
        JsonNode recorded = Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(openAiFixture("embeddings-basic.response.json"));
        ObjectNode gemini = Json.object();
        gemini.putArray("embeddings").addObject().set("values", recorded.path("data").path(0).path("embedding"));
        byte[] geminiBody = Json.bytes(gemini);

        EmbeddingsResult base64 = adapter.toResponse(parse(openAiFixture("embeddings-base64.request.json")),
                geminiBody, TARGET);
        OpenAiSchema.assertBase64Embeddings(tree(base64.body()));
        String expected = tree(openAiFixture("embeddings-base64.response.json")).path("data").path(0)
                .path("embedding").asText();
        assertEquals(expected, tree(base64.body()).path("data").path(0).path("embedding").asText(),
                "byte for byte what api.openai.com encoded for these 1536 values");

        JsonNode floatAnswer = tree(adapter.toResponse(parse(openAiFixture("embeddings-basic.request.json")),
                geminiBody, TARGET).body());
        OpenAiSchema.assertEmbeddings(floatAnswer);
        JsonNode floats = floatAnswer.path("data").path(0).path("embedding");
        JsonNode original = recorded.path("data").path(0).path("embedding");
        assertEquals(1536, floats.size());
        for (int i = 0; i < floats.size(); i++) {
            assertEquals(Float.floatToIntBits(original.get(i).decimalValue().floatValue()),
                    Float.floatToIntBits(Float.parseFloat(floats.get(i).asText())), "value " + i);
        }
    }

    @Test
    void base64OfAKnownVector() {
        assertEquals("AACAPwAAAMAAAAAA", GeminiEmbeddingsAdapter.base64(new float[] {1.0f, -2.0f, 0.0f}),
                "3f800000 c0000000 00000000, each little-endian");
    }

    @Test
    void answersThatDoNotMatchTheRequestAreProtocolErrors() {
        EmbeddingsRequest one = parse("{\"model\":\"m\",\"input\":\"only one\"}".getBytes(StandardCharsets.UTF_8));
        for (String body : new String[] {"not json", "{\"embedding\":{\"values\":[1]}}", "{\"embeddings\":[]}",
                "{\"embeddings\":[{\"values\":[]}]}", "{\"embeddings\":[{\"values\":[\"x\"]}]}"}) {
            UpstreamException failure = assertThrows(UpstreamException.class,
                    () -> adapter.toResponse(one, body.getBytes(StandardCharsets.UTF_8), TARGET), body);
            assertEquals(ErrorKind.PROTOCOL, failure.kind(), body);
        }
        assertThrows(UpstreamException.class, () -> adapter.toResponse(one,
                geminiFixture("batch-embed.response.json"), TARGET), "two embeddings for one input");
    }

    @Test
    void googleRpcErrorsAreClassified() {
        Map<String, String> json = Map.of("content-type", "application/json; charset=UTF-8");
        UpstreamException badKey = adapter.classifyError(TARGET, 400, json,
                geminiFixture("error-api-key-invalid.json"));
        assertEquals(ErrorKind.AUTH, badKey.kind(), "a rejected key is the provider's problem: cool it, fail over");
        assertEquals(Optional.of("upstream_auth_failed"), badKey.code());

        UpstreamException invalid = adapter.classifyError(TARGET, 400, json,
                geminiFixture("error-invalid-argument.json"));
        assertEquals(ErrorKind.BAD_REQUEST, invalid.kind());
        assertEquals(400, invalid.status());
        assertEquals("Request contains an invalid argument.", invalid.getMessage());
        assertEquals(Optional.of("invalid_argument"), invalid.code());

        UpstreamException quota = adapter.classifyError(TARGET, 429, Map.of("retry-after", "7"),
                geminiFixture("error-resource-exhausted.json"));
        assertEquals(ErrorKind.RATE_LIMITED, quota.kind());
        assertEquals(Optional.of(Duration.ofSeconds(7)), quota.retryAfter());

        assertEquals(ErrorKind.OVERLOADED, adapter.classifyError(TARGET, 503, json,
                geminiFixture("error-unavailable.json")).kind());
        UpstreamException page = adapter.classifyError(TARGET, 502, Map.of("content-type", "text/html"),
                "<html><body>Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorKind.SERVER, page.kind());
        assertFalse(page.getMessage().contains("<html>"), "never echoes an HTML page");
        assertEquals(ErrorKind.CONTEXT_TOO_LONG, adapter.classifyError(TARGET, 400, json, ("{\"error\":{\"code\":400,"
                + "\"message\":\"The input token count (3000) exceeds the maximum number of tokens allowed (2048).\","
                + "\"status\":\"INVALID_ARGUMENT\"}}").getBytes(StandardCharsets.UTF_8)).kind());
    }

    private static ProviderConfig provider(String yaml) {
        return GatewayConfig.create(Config.just(ConfigSources.create("providers:\n  g: " + yaml,
                MediaTypes.APPLICATION_X_YAML))).providers().get("g");
    }

    private static EmbeddingsRequest parse(byte[] body) {
        return EmbeddingsRequestParser.parse(body);
    }

    private static JsonNode tree(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] openAiFixture(String name) {
        return resource("/fixtures/openai/" + name);
    }

    private static byte[] geminiFixture(String name) {
        return resource("/fixtures/gemini/embeddings/" + name);
    }

    private static byte[] resource(String path) {
        try (InputStream in = GeminiEmbeddingsAdapterTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new AssertionError("missing fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
