package ai.higress.provider.openai;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.ChatResult;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamRequest;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The fast path for Responses API clients: a provider that serves {@code POST /responses} itself
 * ({@code responses-api: true}) is sent the client's own body with only {@code model} replaced, and its answer is
 * relayed untouched. The one other edit: {@code previous_response_id} is dropped when the gateway itself holds that
 * response, because the ingress has then already put the whole conversation into {@code input} and the upstream has
 * never heard of the id.
 */
final class ResponsesPassthrough {
    private final Clock clock;

    ResponsesPassthrough(Clock clock) {
        this.clock = clock;
    }

    /** Whether {@code request} goes to {@code target} untouched. */
    static boolean applies(ChatRequest request, Target target) {
        return request.nativeTo(WireProtocol.OPENAI_RESPONSES) && target.provider().responsesApi();
    }

    UpstreamRequest toUpstream(ChatRequest request, Target target, Map<String, String> headers) {
        ObjectNode body = request.clientBody().deepCopy();
        body.put("model", target.upstreamModel());
        if (!request.features().upstreamState()) {
            body.remove("previous_response_id");
        }
        return new UpstreamRequest("/responses", headers, Json.bytes(body), request.stream());
    }

    /**
     * The upstream's Response object as it is. A response that failed, or an error object, fails the attempt like an
     * error status would, so another target may still answer.
     */
    ChatResult toResponse(byte[] body, Target target) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw UpstreamException.transport(ErrorKind.PROTOCOL,
                    "provider '" + target.providerId() + "' answered a Responses request with a body that is not JSON");
        }
        if (root.hasNonNull("error") && !"response".equals(root.path("object").asText())) {
            throw OpenAiErrors.fromErrorObject(target, 200, root, Map.of(), clock.instant());
        }
        if ("failed".equals(root.path("status").asText())) {
            throw ResponsesRelayTranslator.failure(target, root.path("error"), clock);
        }
        return new ChatResult(body, Usage.fromResponses(root.get("usage")), finishReason(root),
                WireProtocol.OPENAI_RESPONSES);
    }

    StreamTranslator newStreamTranslator(Target target) {
        return new ResponsesRelayTranslator(target, clock);
    }

    /** The chat-completions finish reason that a Response's status amounts to (for logs and the request record). */
    static String finishReason(JsonNode response) {
        if ("incomplete".equals(response.path("status").asText())) {
            return switch (response.path("incomplete_details").path("reason").asText("")) {
                case "content_filter" -> "content_filter";
                default -> "length";
            };
        }
        for (JsonNode item : response.path("output")) {
            if ("function_call".equals(item.path("type").asText())) {
                return "tool_calls";
            }
        }
        return "stop";
    }
}
