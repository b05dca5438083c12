package ai.higress.mock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/** Writes a {@link MockApiError} as the OpenAI error envelope {@code {"error":{message,type,param,code}}}. */
final class ErrorEnvelope {

    private final ObjectMapper json;

    ErrorEnvelope(ObjectMapper json) {
        this.json = json;
    }

    void send(ServerResponse res, MockApiError error) {
        ObjectNode body = json.createObjectNode();
        ObjectNode fields = body.putObject("error").put("message", error.getMessage()).put("type", error.type());
        error.param().ifPresentOrElse(param -> fields.put("param", param), () -> fields.putNull("param"));
        error.code().ifPresentOrElse(code -> fields.put("code", code), () -> fields.putNull("code"));
        res.status(error.status());
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(bytes(body));
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
