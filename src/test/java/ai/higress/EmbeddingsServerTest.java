package ai.higress;

import static ai.higress.GatewayServerTest.chatBody;
import static ai.higress.GatewayServerTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import ai.higress.testing.OpenAiChunks;
import ai.higress.testing.OpenAiSchema;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/embeddings} over real sockets: OpenAI-compatible and Gemini-speaking scripted upstreams, failover, usage
 * recording, and the capability checks that keep chat and embeddings apart and skip targets too small for a prompt.
 */
class EmbeddingsServerTest {
    private static final String EMBEDDINGS = "/v1/embeddings";
    private static final String CHAT = "/v1/chat/completions";
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
    private static final String TEXT = "{\"model\":\"%s\",\"input\":\"How do I reset my password?\"}";

    private ScriptedUpstream a;
    private ScriptedUpstream b;
    private ScriptedUpstream g;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        a = ScriptedUpstream.start();
        b = ScriptedUpstream.start();
        g = ScriptedUpstream.start();
        gateway = TestGateway.start(config(""));
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        a.close();
        b.close();
        g.close();
    }

    private String config(String extra) {
        return """
                providers:
                  a:
                    type: openai
                    base-url: "%s"
                    api-key: "sk-a-key-0123456789"
                    models: [{name: text-embedding-3-small, embeddings: true, input-price: 0.02}, chat-a]
                  b:
                    type: openai
                    base-url: "%s"
                    api-key: "sk-b-key-0123456789"
                    models: [{name: embed-b, embeddings: true}, {name: chat-small, context-window: 100}, chat-b]
                  g: {type: gemini, base-url: "%s", api-key: "AIza-g-key-0123456789", models: [{name: gemini-embedding-001, embeddings: true}]}
                models:
                  embed: {strategy: priority, targets: [{provider: a, model: text-embedding-3-small}, {provider: b, model: embed-b}]}
                  gem: {targets: [{provider: g, model: gemini-embedding-001}]}
                  gem-then-a: {strategy: priority, targets: [{provider: g, model: gemini-embedding-001}, {provider: a, model: text-embedding-3-small}]}
                  mixed: {strategy: priority, targets: [{provider: a, model: text-embedding-3-small}, {provider: b, model: chat-b}]}
                  long: {strategy: priority, targets: [{provider: b, model: chat-small}, {provider: a, model: chat-a}]}
                  small: {targets: [{provider: b, model: chat-small}]}
                timeouts: {connect: PT1S, first-token: PT5S, idle: PT5S, request: PT10S, stream: PT10S}
                routing: {retry: {backoff: PT0.001S, max-backoff: PT0.002S}}
                admin: {token: "%s"}
                usage: {flush-interval: PT0.05S}
                %s
                """.formatted(a.baseUri(), b.baseUri(), g.baseUri(), ADMIN_TOKEN, extra);
    }

    @Test
    void anEmbeddingsAnswerIsRelayedWithTheGatewaysHeadersAndItsUsageIsRecorded() {
        String recorded = fixture("/fixtures/openai/embeddings-basic.response.json");
        a.enqueue(Step.json(200, recorded));

        HttpResponse<String> response = gateway.post(EMBEDDINGS, TEXT.formatted("embed"));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(recorded, response.body(), "relayed byte for byte");
        OpenAiSchema.assertEmbeddings(parse(response.body()));
        assertEquals("a", header(response, "x-higress-provider"));
        assertEquals("text-embedding-3-small", header(response, "x-higress-model"));
        assertEquals("1", header(response, "x-higress-attempts"));
        assertEquals("/v1/embeddings", a.lastRequest().path());
        assertEquals("Bearer sk-a-key-0123456789", a.lastRequest().header("authorization").orElseThrow());
        assertEquals("text-embedding-3-small", a.lastRequest().json().path("model").asText());
        assertEquals("How do I reset my password?", a.lastRequest().json().path("input").asText());

        JsonNode row = awaitUsageRow();
        assertEquals("embeddings", row.path("route").asText());
        assertEquals("embed", row.path("model").asText());
        assertEquals("a", row.path("provider").asText());
        assertEquals(7, row.path("prompt_tokens").asInt(), "the upstream's count");
        assertEquals(0, row.path("completion_tokens").asInt());
        assertEquals(0, new BigDecimal("0.00000014").compareTo(row.path("cost_usd").decimalValue()),
                "7 tokens at $0.02 per million: " + row.path("cost_usd"));
    }

    @Test
    void a503FailsOverToTheNextEmbeddingModel() {
        a.otherwise(Step.json(503, OpenAiChunks.errorEnvelope("busy", "server_error", "")));
        b.enqueue(Step.json(200, fixture("/fixtures/openai/embeddings-basic.response.json")));

        HttpResponse<String> response = gateway.post("/embeddings", TEXT.formatted("embed"));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("b", header(response, "x-higress-provider"));
        assertEquals("2", header(response, "x-higress-attempts"));
        assertEquals(1, a.callCount());
        assertEquals(1, b.callCount());
        assertEquals("embed-b", b.lastRequest().json().path("model").asText());
        OpenAiSchema.assertEmbeddings(parse(response.body()));
    }

    @Test
    void aGeminiUpstreamIsSpokenToInItsOwnProtocolAndAnsweredInOpenAis() {
        g.enqueue(Step.json(200, fixture("/fixtures/gemini/embeddings/batch-embed.response.json")));

        HttpResponse<String> response = gateway.post(EMBEDDINGS, "{\"model\":\"gem\",\"input\":[\"first text\","
                + "\"second\"],\"encoding_format\":\"base64\",\"dimensions\":4}");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("g", header(response, "x-higress-provider"));
        assertEquals("/v1/models/gemini-embedding-001:batchEmbedContents", g.lastRequest().path());
        assertEquals("AIza-g-key-0123456789", g.lastRequest().header("x-goog-api-key").orElseThrow());
        JsonNode sent = g.lastRequest().json().path("requests");
        assertEquals("second", sent.path(1).path("content").path("parts").path(0).path("text").asText());
        assertEquals(4, sent.path(1).path("outputDimensionality").asInt());

        JsonNode body = parse(response.body());
        OpenAiSchema.assertBase64Embeddings(body);
        assertEquals(2, body.path("data").size());
        float[] second = floats(body.path("data").path(1).path("embedding").asText());
        assertEquals(-0.0076914807f, second[0]);
        assertEquals(0.07418271f, second[3]);
        assertEquals(5, body.path("usage").path("prompt_tokens").asInt(), "estimated: Gemini reports no usage");
    }

    @Test
    void tokenIdsAreNeverSentToGemini() {
        a.enqueue(Step.json(200, fixture("/fixtures/openai/embeddings-basic.response.json")));
        String tokens = "{\"model\":\"%s\",\"input\":[4438,656,358,7738,856,3636,30]}";

        HttpResponse<String> geminiOnly = gateway.post(EMBEDDINGS, tokens.formatted("gem"));
        assertError(geminiOnly, 400, "unsupported_capability", "input");

        HttpResponse<String> withFallback = gateway.post(EMBEDDINGS, tokens.formatted("gem-then-a"));
        assertEquals(200, withFallback.statusCode(), withFallback.body());
        assertEquals("a", header(withFallback, "x-higress-provider"));
        assertEquals(0, g.callCount());
    }

    @Test
    void chatIsNeverRoutedToAnEmbeddingModelNorEmbeddingsToAChatModel() {
        b.otherwise(Step.json(200, OpenAiChunks.completion("chat-b", "fine", 3, 1)));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> chat = gateway.post(CHAT, chatBody("mixed", false, ""));
            assertEquals(200, chat.statusCode(), chat.body());
            assertEquals("b", header(chat, "x-higress-provider"));
        }
        assertEquals(0, a.callCount(), "the embedding model comes first by priority and is still never tried");
        assertEquals("skipped: embeddings only", adminGet("/admin/api/routing/plan?model=mixed").path("targets")
                .path(0).path("verdict").asText());

        assertError(gateway.post(CHAT, chatBody("embed", false, "")), 400, "unsupported_capability", "model");
        assertError(gateway.post(EMBEDDINGS, TEXT.formatted("long")), 400, "unsupported_capability", "model");
        assertEquals(0, a.callCount());
        assertEquals(3, b.callCount());
    }

    @Test
    void aPromptTooLongForAKnownContextWindowSkipsThatTarget() {
        a.otherwise(Step.json(200, OpenAiChunks.completion("chat-a", "long answer", 150, 2)));
        b.otherwise(Step.json(200, OpenAiChunks.completion("chat-small", "short answer", 3, 2)));
        String longPrompt = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "word ".repeat(120)
                + "\"}]}";

        HttpResponse<String> shortOne = gateway.post(CHAT, chatBody("long", false, ""));
        assertEquals("b", header(shortOne, "x-higress-provider"), "a short prompt fits the first target");
        HttpResponse<String> longOne = gateway.post(CHAT, longPrompt.formatted("long"));
        assertEquals(200, longOne.statusCode(), longOne.body());
        assertEquals("a", header(longOne, "x-higress-provider"));
        assertEquals(1, b.callCount(), "the 100-token model never saw the 150-token prompt");

        HttpResponse<String> nowhere = gateway.post(CHAT, longPrompt.formatted("small"));
        assertError(nowhere, 400, "context_length_exceeded", "messages");
        assertTrue(parse(nowhere.body()).path("error").path("message").asText()
                .startsWith("This model's maximum context length is 100 tokens."), nowhere.body());
        assertEquals(1, b.callCount());
        assertEquals("skipped: context window 100 < 151 tokens (estimated)",
                adminGet("/admin/api/routing/plan?model=long&prompt-tokens=151").path("targets").path(0)
                        .path("verdict").asText());
    }

    @Test
    void aChatRequestNoTargetIsCapableOfIsRefusedAsAClientError() {
        gateway.close();
        gateway = TestGateway.start(config("").replace("models: [{name: embed-b, embeddings: true}, {name: chat-small, "
                + "context-window: 100}, chat-b]", "models: [chat-b]\n    capabilities: {vision: false}"));
        String image = "{\"model\":\"b/chat-b\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"https://example.com/cat.png\"}}]}]}";

        HttpResponse<String> refused = gateway.post(CHAT, image);

        assertError(refused, 400, "unsupported_capability", "messages");
        assertEquals(0, b.callCount());
    }

    @Test
    void malformedAndOversizedRequestsNeverReachAnUpstream() {
        HttpResponse<String> bad = gateway.post(EMBEDDINGS,
                fixture("/fixtures/openai/embeddings-bad-request.request.json").replace("text-embedding-3-small",
                        "embed"));
        assertError(bad, 400, "invalid_value", "dimensions");
        assertError(gateway.post(EMBEDDINGS, "{\"model\":\"embed\",\"input\":[]}"), 400, "empty_array", "input");
        assertError(gateway.post(EMBEDDINGS, TEXT.formatted("nope")), 404, "model_not_found", "model");
        HttpResponse<String> get = gateway.get(EMBEDDINGS);
        assertEquals(405, get.statusCode());
        OpenAiSchema.assertError(parse(get.body()));

        gateway.close();
        gateway = TestGateway.start(config("limits: {max-request-bytes: 1024}"));
        HttpResponse<String> big = gateway.post(EMBEDDINGS, "{\"model\":\"embed\",\"input\":\"" + "x".repeat(2000)
                + "\"}");
        assertEquals(413, big.statusCode(), big.body());
        OpenAiSchema.assertError(parse(big.body()));
        assertEquals(0, a.callCount() + b.callCount() + g.callCount());
    }

    @Test
    void tokenLimitsAdmitWithTheInputsEstimate() {
        gateway.close();
        gateway = TestGateway.start(config("auth: {api-keys: [{name: small, key: \"" + TestGateway.KEY
                + "\", tpm: 20}]}"));
        a.otherwise(Step.json(200, fixture("/fixtures/openai/embeddings-basic.response.json")));

        HttpResponse<String> tooLarge = gateway.post(EMBEDDINGS, "{\"model\":\"embed\",\"input\":[\"" + "x".repeat(60)
                + "\",\"" + "y".repeat(40) + "\"]}");
        assertEquals(429, tooLarge.statusCode(), tooLarge.body());
        OpenAiSchema.assertError(parse(tooLarge.body()));
        assertTrue(tooLarge.body().contains("it reserves 25 tokens"), tooLarge.body());
        assertEquals(0, a.callCount());

        HttpResponse<String> fits = gateway.post(EMBEDDINGS, TEXT.formatted("embed"));
        assertEquals(200, fits.statusCode(), fits.body());
        assertEquals("13", header(fits, "x-ratelimit-remaining-tokens"), "20 minus the 7 estimated tokens");
    }

    @Test
    void anEmbeddingModelCreatedThroughTheAdminApiKeepsItsCapabilitiesInTheDatabase() {
        b.otherwise(Step.json(200, fixture("/fixtures/openai/embeddings-basic.response.json")));
        HttpResponse<String> created = gateway.send(HttpRequest.newBuilder(gateway.uri("/admin/api/providers"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"id": "dbp", "type": "openai", "base-url": "%s", "api-key": "sk-dbp-key-0123456789",
                         "models": [{"name": "db-embed", "embeddings": true, "context-window": 8191}, "db-chat"]}
                        """.formatted(b.baseUri()))).build());
        assertEquals(201, created.statusCode(), created.body());

        JsonNode catalog = adminGet("/admin/api/providers/dbp/models").path("data");
        assertEquals("db-chat", catalog.path(0).path("model").asText());
        assertEquals(false, catalog.path(0).path("embeddings").asBoolean());
        assertEquals(true, catalog.path(0).path("reasoning").asBoolean(), "capable unless configured otherwise");
        assertEquals("db-embed", catalog.path(1).path("model").asText());
        assertEquals(true, catalog.path(1).path("embeddings").asBoolean());
        assertEquals(8191, catalog.path(1).path("context_window").asInt());

        HttpResponse<String> embedded = gateway.post(EMBEDDINGS, TEXT.formatted("dbp/db-embed"));
        assertEquals(200, embedded.statusCode(), embedded.body());
        assertEquals("dbp", header(embedded, "x-higress-provider"));
        assertError(gateway.post(CHAT, chatBody("dbp/db-embed", false, "")), 400, "unsupported_capability", "model");
        assertError(gateway.post(EMBEDDINGS, TEXT.formatted("dbp/db-chat")), 400, "unsupported_capability", "model");
        assertEquals(1, b.callCount());
    }

    @Test
    void aKeyOnlyEmbedsWithTheModelsItMayUse() {
        a.otherwise(Step.json(200, fixture("/fixtures/openai/embeddings-basic.response.json")));
        HttpResponse<String> created = gateway.send(HttpRequest.newBuilder(gateway.uri("/admin/api/keys"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"embedder\",\"allowed_models\":[\"embed\"]}"))
                .build());
        assertEquals(201, created.statusCode(), created.body());
        String secret = parse(created.body()).path("key").asText();

        assertEquals(200, embedAs(secret, "embed").statusCode());
        HttpResponse<String> other = embedAs(secret, "a/text-embedding-3-small");
        assertError(other, 404, "model_not_found", "model");
        assertEquals(1, a.callCount(), "the same upstream model under another name is still not this key's");
    }

    private HttpResponse<String> embedAs(String key, String model) {
        return gateway.send(HttpRequest.newBuilder(gateway.uri(EMBEDDINGS)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TEXT.formatted(model))).build());
    }

    private static float[] floats(String base64) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        for (int i = 0; i < values.length; i++) {
            values[i] = bytes.getFloat();
        }
        return values;
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name));
    }

    private static void assertError(HttpResponse<String> response, int status, String code, String param) {
        assertEquals(status, response.statusCode(), response.body());
        OpenAiSchema.assertError(parse(response.body()));
        JsonNode error = parse(response.body()).path("error");
        assertEquals(code, error.path("code").asText(), response.body());
        assertEquals(param, error.path("param").asText(), response.body());
    }

    private JsonNode adminGet(String path) {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri(path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build());
        assertEquals(200, response.statusCode(), response.body());
        return parse(response.body());
    }

    private JsonNode awaitUsageRow() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode rows = adminGet("/admin/api/usage").path("data");
            if (!rows.isEmpty()) {
                return rows.path(0);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("the embeddings request was never logged");
    }

    private static String fixture(String path) {
        try (InputStream in = EmbeddingsServerTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new AssertionError("missing fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
