package ai.higress.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import ai.higress.error.GatewayException;

import io.helidon.webserver.http.ServerRequest;

/** Reads a client body within the configured size limit. */
final class RequestBodies {

    private RequestBodies() {
    }

    static byte[] read(ServerRequest request, long maxBytes) {
        if (request.headers().contentLength().orElse(0) > maxBytes) {
            throw GatewayException.payloadTooLarge(maxBytes);
        }
        if (!request.content().hasEntity()) {
            throw GatewayException.invalidRequest("The request body is empty; send a JSON object.", null);
        }
        try (InputStream in = request.content().inputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw GatewayException.payloadTooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed", e);
        }
    }
}
