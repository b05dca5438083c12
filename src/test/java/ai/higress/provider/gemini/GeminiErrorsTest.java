package ai.higress.provider.gemini;

import static ai.higress.provider.gemini.GeminiFixtures.adapter;
import static ai.higress.provider.gemini.GeminiFixtures.bytes;
import static ai.higress.provider.gemini.GeminiFixtures.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Google's error envelopes (fixtures/gemini/error-*.json) classified into error kinds. */
class GeminiErrorsTest {
    private static final Map<String, String> JSON = Map.of("content-type", "application/json; charset=UTF-8");

    private final GeminiAdapter adapter = adapter();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "error-resource-exhausted, 429, RATE_LIMITED, 429, upstream_rate_limited",
            "error-api-key-invalid, 400, AUTH, 502, upstream_auth_failed",
            "error-context-too-long, 400, CONTEXT_TOO_LONG, 400, context_length_exceeded",
            "error-invalid-argument, 400, BAD_REQUEST, 400, invalid_argument",
            "error-unavailable, 503, OVERLOADED, 503, upstream_overloaded",
            "error-not-found, 404, NOT_FOUND, 404, model_not_found",
            "error-permission-denied, 403, AUTH, 502, upstream_auth_failed",
            "error-location, 400, AUTH, 502, upstream_auth_failed",
            "error-internal, 500, SERVER, 502, upstream_error",
            "error-deadline, 504, TIMEOUT, 504, upstream_timeout"})
    void classified(String name, int status, ErrorKind kind, int clientStatus, String code) {
        UpstreamException failure = adapter.classifyError(target("gemini-2.0-flash"), status, JSON,
                bytes(name + ".json"));
        assertEquals(kind, failure.kind());
        assertEquals(clientStatus, failure.status());
        assertEquals(status, failure.upstreamStatus());
        assertEquals(Optional.of(code), failure.code());
        if (kind.providerFault()) {
            assertTrue(failure.getMessage().startsWith("provider 'gemini' failed: "), failure.getMessage());
        }
    }

    @Test
    void retryInfoIsTheRetryAfter() {
        UpstreamException failure = adapter.classifyError(target("gemini-2.0-flash"), 429, JSON,
                bytes("error-resource-exhausted.json"));
        assertEquals(Optional.of(Duration.ofSeconds(30)), failure.retryAfter());
    }

    @Test
    void fractionalRetryDelaysAndHeadersAreRead() {
        String body = "{\"error\":{\"code\":429,\"message\":\"slow down\",\"status\":\"RESOURCE_EXHAUSTED\","
                + "\"details\":"
                + "[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"1.250s\"}]}}";
        assertEquals(Optional.of(Duration.ofMillis(1250)), classify(429, JSON, body).retryAfter());

        String bare = "{\"error\":{\"code\":429,\"message\":\"slow down\",\"status\":\"RESOURCE_EXHAUSTED\"}}";
        Map<String, String> withHeader = Map.of("content-type", "application/json", "retry-after", "7");
        assertEquals(Optional.of(Duration.ofSeconds(7)), classify(429, withHeader, bare).retryAfter());
        assertEquals(Optional.empty(), classify(429, JSON, bare).retryAfter());
    }

    @Test
    void aClientErrorKeepsGooglesMessage() {
        UpstreamException failure = adapter.classifyError(target("gemini-2.0-flash"), 400, JSON,
                bytes("error-context-too-long.json"));
        assertEquals("The input token count (1205331) exceeds the maximum number of tokens allowed (1048576).",
                failure.getMessage());
        assertFalse(failure.kind().retryable());
    }

    @Test
    void anHtmlPageIsSummarisedNotEchoed() {
        UpstreamException failure = classify(502, Map.of("content-type", "text/html"),
                "<html><body><h1>502 Bad Gateway</h1><p>secret-internal-host</p></body></html>");
        assertEquals(ErrorKind.SERVER, failure.kind());
        assertFalse(failure.getMessage().contains("secret-internal-host"), failure.getMessage());
        assertTrue(failure.getMessage().contains("HTML"), failure.getMessage());
    }

    @Test
    void theStreamingEndpointsArrayEnvelopeIsRead() {
        UpstreamException failure = classify(429, JSON, "[{\"error\":{\"code\":429,\"message\":\"quota\","
                + "\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc."
                + "RetryInfo\",\"retryDelay\":\"2s\"}]}}]");
        assertEquals(ErrorKind.RATE_LIMITED, failure.kind());
        assertEquals(Optional.of(Duration.ofSeconds(2)), failure.retryAfter());
    }

    @Test
    void withoutAStatusTheHttpStatusDecides() {
        assertEquals(ErrorKind.OVERLOADED, classify(503, JSON, "{\"error\":{\"message\":\"busy\"}}").kind());
        assertEquals(ErrorKind.RATE_LIMITED, classify(429, JSON, "").kind());
        assertEquals(ErrorKind.AUTH, classify(401, JSON, "{}").kind());
    }

    private UpstreamException classify(int status, Map<String, String> headers, String body) {
        return adapter.classifyError(target("gemini-2.0-flash"), status, headers,
                body.getBytes(StandardCharsets.UTF_8));
    }
}
