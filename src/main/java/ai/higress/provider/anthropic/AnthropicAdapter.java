package ai.higress.provider.anthropic;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.higress.config.ProviderConfig;
import ai.higress.error.UpstreamException;
import ai.higress.provider.ChatResult;
import ai.higress.provider.ProviderAdapter;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamJson;
import ai.higress.provider.UpstreamRequest;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;
import ai.higress.schema.WireProtocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Anthropic Messages wire protocol. A request from an Anthropic client is relayed natively (only {@code model}
 * and {@code stream} are set, the answer and the events pass through untouched); any other request is translated
 * from its canonical OpenAI chat form, and the answer back into OpenAI chat.
 */
public final class AnthropicAdapter implements ProviderAdapter {
    private static final String USER_AGENT = "ai-higress-gateway";
    private static final String PATH = "/messages";

    private final Clock clock;

    public AnthropicAdapter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public UpstreamRequest toUpstream(ChatRequest request, Target target, String requestId) {
        ObjectNode body;
        if (request.nativeTo(WireProtocol.ANTHROPIC_MESSAGES)) {
            body = request.clientBody().deepCopy();
            body.put("model", target.upstreamModel());
            if (request.stream()) {
                body.put("stream", true);
            } else {
                body.remove("stream");
            }
        } else {
            body = MessagesRequest.of(request.body(), target.upstreamModel(), request.stream(),
                    target.provider().defaultMaxTokens());
        }
        return new UpstreamRequest(PATH, headers(target, request, requestId), Json.bytes(body), request.stream());
    }

    @Override
    public ChatResult toResponse(ChatRequest request, byte[] body, Target target) {
        JsonNode root = UpstreamJson.body(body, target);
        if ("error".equals(root.path("type").asText())) {
            throw AnthropicErrors.fromErrorObject(target, root);
        }
        if (request.nativeTo(WireProtocol.ANTHROPIC_MESSAGES)) {
            String finishReason = StopReasons.finishReason(root.path("stop_reason").asText(""), false);
            return new ChatResult(body, new UsageCounts().update(root.get("usage")).usage(), finishReason,
                    WireProtocol.ANTHROPIC_MESSAGES);
        }
        ChatCompletion completion = ChatCompletion.of(root, ToolMapping.jsonMode(request.body()),
                clock.instant().getEpochSecond());
        return new ChatResult(Json.bytes(completion.body()), completion.usage(), completion.finishReason());
    }

    @Override
    public StreamTranslator newStreamTranslator(ChatRequest request, Target target) {
        if (request.nativeTo(WireProtocol.ANTHROPIC_MESSAGES)) {
            return new NativeStreamRelay(target);
        }
        return new AnthropicStreamTranslator(target, request.includeUsage(), ToolMapping.jsonMode(request.body()),
                clock.instant().getEpochSecond());
    }

    @Override
    public UpstreamException classifyError(Target target, int status, Map<String, String> headers, byte[] body) {
        return AnthropicErrors.classify(target, status, headers, body, clock.instant());
    }

    private static Map<String, String> headers(Target target, ChatRequest request, String requestId) {
        ProviderConfig provider = target.provider();
        Map<String, String> headers = new LinkedHashMap<>(provider.headers());
        headers.put("content-type", "application/json");
        headers.put("accept", request.stream() ? "text/event-stream" : "application/json");
        headers.put("user-agent", USER_AGENT);
        headers.put("x-request-id", requestId);
        headers.put("anthropic-version", provider.apiVersion());
        if (!target.key().isNone()) {
            String key = target.key().secret().reveal();
            switch (provider.authStyle()) {
                case X_API_KEY -> headers.put("x-api-key", key);
                case BEARER -> headers.put("authorization", "Bearer " + key);
                case API_KEY_HEADER -> headers.put("api-key", key);
                case NONE -> {
                    // the provider takes no credential
                }
            }
        }
        return headers;
    }
}
