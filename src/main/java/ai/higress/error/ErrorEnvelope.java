package ai.higress.error;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one place a failure becomes the OpenAI error envelope {@code {"error":{"message","type","param","code"}}}.
 * Anything that is not a {@link GatewayException} becomes a generic internal error: internals never reach a client.
 */
public final class ErrorEnvelope {

    private ErrorEnvelope() {
    }

    /** The client-visible form of {@code failure}. */
    public static GatewayException visible(Throwable failure) {
        return failure instanceof GatewayException gateway ? gateway : GatewayException.internal();
    }

    public static ObjectNode of(GatewayException failure) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("message", failure.getMessage());
        error.put("type", failure.type().wireName());
        failure.param().ifPresentOrElse(param -> error.put("param", param), () -> error.putNull("param"));
        failure.code().ifPresentOrElse(code -> error.put("code", code), () -> error.putNull("code"));
        return root;
    }

    public static byte[] bytes(GatewayException failure) {
        return Json.bytes(of(failure));
    }
}
