package ai.higress.provider.openai;

import static ai.higress.provider.openai.OpenAiAdapterTest.fixture;
import static ai.higress.provider.openai.OpenAiAdapterTest.provider;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** OpenAI-compatible embeddings: the recorded request relayed with only the model replaced, answers relayed as is. */
class OpenAiEmbeddingsAdapterTest {
    private static final String KEY = "sk-test-upstream-0123456789";
    private static final ProviderConfig OPENAI = provider("openai", "{type: openai, api-key: " + KEY + "}");
    private static final Target TARGET = new Target(OPENAI, "text-embedding-3-large", 1)
            .withKey(OPENAI.keys().getFirst());

    private final OpenAiEmbeddingsAdapter adapter = new OpenAiEmbeddingsAdapter(
            Clock.fixed(Instant.parse("2025-08-29T05:12:33Z"), ZoneOffset.UTC));

    @Test
    void theClientsBodyIsRelayedWithTheTargetsModel() {
        EmbeddingsRequest request = parse(fixture("embeddings-dimensions.request.json"));
        UpstreamRequest upstream = adapter.toUpstream(request, TARGET, "req-1");

        assertEquals("/embeddings", upstream.path());
        assertFalse(upstream.stream());
        ObjectNode expected = request.body().deepCopy();
        expected.put("model", "text-embedding-3-large");
        assertEquals(expected, tree(upstream.body()), "dimensions, encoding_format and input untouched");
        assertEquals("text-embedding-3-small", request.body().path("model").asText(), "the client's body is kept");
        assertEquals("Bearer " + KEY, upstream.headers().get("authorization"));
        assertEquals("application/json", upstream.headers().get("accept"));
        assertEquals("req-1", upstream.headers().get("x-request-id"));
    }

    @Test
    void tokenIdsAndVendorParametersPassThrough() {
        EmbeddingsRequest request = parse("{\"model\":\"m\",\"input\":[[1,2],[3]],\"input_type\":\"query\"}"
                .getBytes(StandardCharsets.UTF_8));
        JsonNode sent = tree(adapter.toUpstream(request, TARGET, "r").body());

        assertEquals("[[1,2],[3]]", sent.path("input").toString());
        assertEquals("query", sent.path("input_type").asText());
    }

    @Test
    void azureDeploymentsGetTheirEmbeddingsPath() {
        ProviderConfig azure = provider("az", """
                {type: openai, preset: azure, api-key: %s,
                 base-url: "https://resource-name.openai.azure.com/openai"}""".formatted(KEY));
        UpstreamRequest upstream = adapter.toUpstream(parse(fixture("embeddings-basic.request.json")),
                new Target(azure, "embed-small", 1).withKey(azure.keys().getFirst()), "r");

        assertEquals("/deployments/embed-small/embeddings?api-version=2024-10-21", upstream.path());
        assertEquals(KEY, upstream.headers().get("api-key"));
        assertFalse(upstream.headers().containsKey("authorization"));
    }

    @Test
    void theRecordedAnswerIsRelayedByteForByteWithItsUsage() {
        byte[] body = fixture("embeddings-basic.response.json");
        EmbeddingsResult result = adapter.toResponse(parse(fixture("embeddings-basic.request.json")), body, TARGET);

        assertArrayEquals(body, result.body());
        assertEquals(new Usage(7, 0, 7, 0, 0), result.usage());
        assertFalse(result.estimated());
        EmbeddingsResult base64 = adapter.toResponse(parse(fixture("embeddings-base64.request.json")),
                fixture("embeddings-base64.response.json"), TARGET);
        assertArrayEquals(fixture("embeddings-base64.response.json"), base64.body(), "the upstream encoded base64");
    }

    @Test
    void anAnswerWithoutUsageGetsTheEstimate() {
        EmbeddingsResult result = adapter.toResponse(parse(fixture("embeddings-basic.request.json")),
                "{\"object\":\"list\",\"data\":[{\"embedding\":[0.5],\"index\":0}]}".getBytes(StandardCharsets.UTF_8),
                TARGET);

        assertEquals(new Usage(7, 0, 7, 0, 0), result.usage());
        assertTrue(result.estimated());
    }

    @Test
    void answersThatAreNotEmbeddingsAreProtocolErrors() {
        EmbeddingsRequest request = parse(fixture("embeddings-basic.request.json"));
        for (String body : new String[] {"<html>oops</html>", "{\"object\":\"list\"}", "[]"}) {
            UpstreamException failure = assertThrows(UpstreamException.class,
                    () -> adapter.toResponse(request, body.getBytes(StandardCharsets.UTF_8), TARGET));
            assertEquals(ErrorKind.PROTOCOL, failure.kind(), body);
        }
        UpstreamException inBand = assertThrows(UpstreamException.class, () -> adapter.toResponse(request,
                "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}"
                        .getBytes(StandardCharsets.UTF_8), TARGET));
        assertEquals(ErrorKind.RATE_LIMITED, inBand.kind(), "an error object in a 200 is the error it names");
    }

    @Test
    void errorsAreClassifiedAsForChat() {
        UpstreamException unknown = adapter.classifyError(TARGET, 404,
                Map.of("content-type", "application/json; charset=utf-8"),
                fixture("embeddings-unknown-model.response.json"));
        assertEquals(ErrorKind.NOT_FOUND, unknown.kind());
        assertEquals(Optional.of("model_not_found"), unknown.code());
        assertEquals("The model `text-embedding-4-ultra` does not exist or you do not have access to it.",
                unknown.getMessage());

        UpstreamException bad = adapter.classifyError(TARGET, 400, Map.of("content-type", "application/json"),
                fixture("embeddings-bad-request.response.json"));
        assertEquals(ErrorKind.BAD_REQUEST, bad.kind());
        assertEquals(400, bad.status());
        assertEquals("-1 is less than the minimum of 1 - 'dimensions'", bad.getMessage());

        UpstreamException busy = adapter.classifyError(TARGET, 503, Map.of("retry-after", "2"), new byte[0]);
        assertEquals(ErrorKind.OVERLOADED, busy.kind());
        assertTrue(busy.kind().retryable());
        assertEquals(Optional.of(java.time.Duration.ofSeconds(2)), busy.retryAfter());
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
}
