package ai.higress.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import ai.higress.schema.Json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The gateway's failures as Anthropic's status codes and error types. */
class AnthropicErrorEnvelopeTest {

    @ParameterizedTest
    @CsvSource({"400, 400, invalid_request_error", "401, 401, authentication_error", "402, 402, billing_error",
            "403, 403, permission_error", "404, 404, not_found_error", "405, 405, invalid_request_error",
            "413, 413, request_too_large", "415, 415, invalid_request_error", "429, 429, rate_limit_error",
            "500, 500, api_error", "502, 502, api_error", "503, 503, api_error", "504, 504, timeout_error"})
    void gatewayStatusesKeepTheirStatusWithAnthropicsType(int status, int expected, String type) {
        GatewayException failure = new GatewayException(status, ErrorType.INVALID_REQUEST, "m", Optional.of("p"),
                Optional.of("c"));
        assertEquals(expected, AnthropicErrorEnvelope.status(failure));
        assertEquals(type, AnthropicErrorEnvelope.type(failure));
    }

    @Test
    void anOverloadedUpstreamIs529AsAnthropicAnswersIt() {
        UpstreamException overloaded = UpstreamException.transport(ErrorKind.OVERLOADED, "busy");
        assertEquals(503, overloaded.status(), "the OpenAI-facing status");
        assertEquals(529, AnthropicErrorEnvelope.status(overloaded));
        assertEquals("overloaded_error", AnthropicErrorEnvelope.type(overloaded));
    }

    @Test
    void theEnvelopeHasNoParamButARequestIdWhenGiven() {
        GatewayException failure = GatewayException.modelNotFound("nope");
        assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"The model `nope` does "
                + "not exist or you do not have access to it.\"},\"request_id\":\"req_1\"}",
                Json.text(AnthropicErrorEnvelope.of(failure, Optional.of("req_1"))));
        assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"The model `nope` does "
                + "not exist or you do not have access to it.\"}}", Json.text(AnthropicErrorEnvelope.of(failure)));
    }
}
