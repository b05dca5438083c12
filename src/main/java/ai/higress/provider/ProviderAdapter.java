package ai.higress.provider;

import java.util.Map;

import ai.higress.error.UpstreamException;
import ai.higress.schema.ChatRequest;

/** Translates between the canonical chat records and one upstream wire protocol. Stateless and free of I/O. */
public interface ProviderAdapter {

    /** Builds the upstream request for {@code request} sent to {@code target}. */
    UpstreamRequest toUpstream(ChatRequest request, Target target, String requestId);

    /**
     * Reads a successful non-streaming upstream body.
     *
     * @throws UpstreamException of kind PROTOCOL when the body is not understood
     */
    ChatResult toResponse(ChatRequest request, byte[] body, Target target);

    /** State for translating one stream. */
    StreamTranslator newStreamTranslator(ChatRequest request, Target target);

    /**
     * Classifies an upstream error answer. Never echoes non-JSON bodies (an HTML error page) to the client.
     *
     * @param status  the upstream HTTP status
     * @param headers upstream response headers, names in lower case
     * @param body    the first bytes of the upstream body (bounded by the caller)
     */
    UpstreamException classifyError(Target target, int status, Map<String, String> headers, byte[] body);
}
