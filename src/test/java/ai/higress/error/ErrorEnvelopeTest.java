package ai.higress.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;

import ai.higress.testing.OpenAiSchema;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every kind of failure the gateway can report becomes an envelope the official OpenAI schema accepts. */
class ErrorEnvelopeTest {

    @ParameterizedTest
    @EnumSource(ErrorKind.class)
    void upstreamFailuresOfEveryKind(ErrorKind kind) {
        assertValid(UpstreamException.answered(kind, 400, "no", Optional.of("messages"), Optional.of("c"),
                Optional.of(Duration.ofSeconds(1))));
        assertValid(UpstreamException.answered(kind, 500, "no", Optional.empty(), Optional.empty(), Optional.empty()));
        assertValid(UpstreamException.transport(kind, "no"));
    }

    @Test
    void theGatewaysOwnFailures() {
        assertValid(GatewayException.invalidRequest("bad", null));
        assertValid(GatewayException.invalidRequest("bad", "n", "invalid_type"));
        assertValid(GatewayException.invalidApiKey("who?"));
        assertValid(GatewayException.modelNotFound("m"));
        assertValid(GatewayException.notFound("nothing"));
        assertValid(GatewayException.methodNotAllowed("GET", "/v1/chat/completions"));
        assertValid(GatewayException.payloadTooLarge(10));
        assertValid(GatewayException.payloadTooLarge());
        assertValid(GatewayException.unsupportedMediaType("text/plain"));
        assertValid(UpstreamException.connectionLost("gone"));
    }

    @Test
    void anUnexpectedFailureIsTheGenericInternalError() {
        JsonNode envelope = assertValid(ErrorEnvelope.visible(new IllegalStateException("internal detail")));
        assertEquals("internal_error", envelope.path("error").path("code").asText());
        assertEquals("server_error", envelope.path("error").path("type").asText());
    }

    private static JsonNode assertValid(GatewayException failure) {
        JsonNode envelope = ErrorEnvelope.of(failure);
        OpenAiSchema.assertError(envelope);
        return envelope;
    }
}
