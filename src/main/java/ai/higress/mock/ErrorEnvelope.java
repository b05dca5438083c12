package ai.higress.mock;

import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/**
 * Writes a {@link MockApiError} in the envelope of the request's dialect: OpenAI's
 * {@code {"error":{message,type,param,code}}}, Anthropic's {@code {"type":"error","error":{type,message},request_id}}
 * or Google's {@code {"error":{code,message,status,details}}}. The vendor-specific type and status come from the HTTP
 * status, as each vendor documents them.
 */
final class ErrorEnvelope {

    private final ObjectMapper json;
    private final AtomicLong anthropicRequests = new AtomicLong();

    ErrorEnvelope(ObjectMapper json) {
        this.json = json;
    }

    void send(ServerResponse res, Dialect dialect, MockApiError error) {
        ObjectNode body = switch (dialect) {
            case OPENAI -> openAi(error);
            case ANTHROPIC -> anthropic(error);
            case GEMINI -> google(error);
        };
        res.status(error.status());
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(bytes(body));
    }

    private ObjectNode openAi(MockApiError error) {
        ObjectNode body = json.createObjectNode();
        ObjectNode fields = body.putObject("error").put("message", error.getMessage()).put("type", error.type());
        error.param().ifPresentOrElse(param -> fields.put("param", param), () -> fields.putNull("param"));
        error.code().ifPresentOrElse(code -> fields.put("code", code), () -> fields.putNull("code"));
        return body;
    }

    private ObjectNode anthropic(MockApiError error) {
        ObjectNode body = json.createObjectNode().put("type", "error");
        body.putObject("error").put("type", anthropicType(error.status())).put("message", error.getMessage());
        body.put("request_id", "req_mock_" + anthropicRequests.incrementAndGet());
        return body;
    }

    private ObjectNode google(MockApiError error) {
        ObjectNode body = json.createObjectNode();
        ObjectNode fields = body.putObject("error").put("code", error.status()).put("message", error.getMessage())
                .put("status", googleStatus(error.status()));
        error.reason().ifPresent(reason -> fields.putArray("details").addObject()
                .put("@type", "type.googleapis.com/google.rpc.ErrorInfo").put("reason", reason)
                .put("domain", "googleapis.com"));
        return body;
    }

    static String anthropicType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    static String googleStatus(int status) {
        return switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 405, 501 -> "UNIMPLEMENTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
        };
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
