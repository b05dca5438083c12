package ai.higress.provider.anthropic;

import static ai.higress.provider.anthropic.AnthropicFixtures.CLOCK;
import static ai.higress.provider.anthropic.AnthropicFixtures.NOW;
import static ai.higress.provider.anthropic.AnthropicFixtures.TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.ErrorType;
import ai.higress.error.UpstreamException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Anthropic error answers classified by type and status. */
class AnthropicErrorsTest {
    private static final Map<String, String> JSON = Map.of("content-type", "application/json");

    private final AnthropicAdapter adapter = new AnthropicAdapter(CLOCK);

    @ParameterizedTest
    @CsvSource({
        "400, invalid_request_error, BAD_REQUEST, 400",
        "401, authentication_error, AUTH, 502",
        "402, billing_error, AUTH, 502",
        "403, permission_error, AUTH, 502",
        "404, not_found_error, NOT_FOUND, 404",
        "413, request_too_large, BAD_REQUEST, 413",
        "429, rate_limit_error, RATE_LIMITED, 429",
        "500, api_error, SERVER, 502",
        "504, timeout_error, TIMEOUT, 504",
        "529, overloaded_error, OVERLOADED, 503",
        "503, some_future_error, OVERLOADED, 503",
        "418, some_future_error, BAD_REQUEST, 418"})
    void byTypeThenStatus(int status, String type, ErrorKind kind, int clientStatus) {
        UpstreamException failure = classify(status, JSON, envelope(type, "Something happened"));
        assertEquals(kind, failure.kind());
        assertEquals(clientStatus, failure.status());
        assertEquals(status, failure.upstreamStatus());
        assertEquals(kind.providerFault() ? "provider 'anthropic' failed: Something happened" : "Something happened",
                failure.getMessage());
    }

    @Test
    void aPromptTooLongIsContextTooLong() {
        UpstreamException failure = classify(400, JSON, envelope("invalid_request_error",
                "prompt is too long: 208310 tokens > 200000 maximum"));
        assertEquals(ErrorKind.CONTEXT_TOO_LONG, failure.kind());
        assertEquals(400, failure.status());
        assertEquals(ErrorType.INVALID_REQUEST, failure.type());
        assertEquals(Optional.of("context_length_exceeded"), failure.code());
        assertFalse(failure.kind().retryable());
        assertEquals(ErrorKind.CONTEXT_TOO_LONG, classify(400, JSON, envelope("invalid_request_error",
                "input length and `max_tokens` exceed context limit: 198000 + 8192 > 200000, decrease input length "
                        + "or `max_tokens` and try again")).kind());
    }

    @Test
    void rateLimitWaitComesFromRetryAfter() {
        UpstreamException failure = classify(429, Map.of("content-type", "application/json", "retry-after", "17",
                "anthropic-ratelimit-requests-remaining", "0",
                "anthropic-ratelimit-requests-reset", NOW.plusSeconds(40).toString()),
                envelope("rate_limit_error", "Number of requests has exceeded your rate limit"));
        assertEquals(ErrorKind.RATE_LIMITED, failure.kind());
        assertEquals(Optional.of(Duration.ofSeconds(17)), failure.retryAfter());
        assertEquals(Optional.of("upstream_rate_limited"), failure.code());
    }

    @Test
    void withoutRetryAfterTheExhaustedLimitsResetIsUsed() {
        UpstreamException failure = classify(429, Map.of(
                "anthropic-ratelimit-requests-remaining", "12",
                "anthropic-ratelimit-requests-reset", "2025-11-20T12:05:00Z",
                "anthropic-ratelimit-input-tokens-remaining", "0",
                "anthropic-ratelimit-input-tokens-reset", "2025-11-20T12:00:09Z",
                "anthropic-ratelimit-output-tokens-remaining", "0",
                "anthropic-ratelimit-output-tokens-reset", "2025-11-20T12:00:04+00:00"),
                envelope("rate_limit_error", "Output tokens per minute exceeded"));
        assertEquals(Optional.of(Duration.ofSeconds(9)), failure.retryAfter(),
                "the later of the two exhausted limits; the requests limit still has room");
        assertEquals(Optional.empty(), classify(429, Map.of("anthropic-ratelimit-tokens-remaining", "0",
                "anthropic-ratelimit-tokens-reset", "soon"), envelope("rate_limit_error", "x")).retryAfter());
    }

    @Test
    void anHtmlPageIsSummarisedNotEchoed() {
        UpstreamException failure = classify(529, Map.of("content-type", "text/html"),
                "<html><body>overloaded <script>x</script></body></html>");
        assertEquals(ErrorKind.OVERLOADED, failure.kind());
        assertEquals("provider 'anthropic' failed: upstream answered HTTP 529 with an HTML page", failure.getMessage());
    }

    private UpstreamException classify(int status, Map<String, String> headers, String body) {
        return adapter.classifyError(TARGET, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String envelope(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message.replace("\"",
                "\\\"") + "\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}";
    }
}
