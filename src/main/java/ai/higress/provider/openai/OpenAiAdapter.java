package ai.higress.provider.openai;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import ai.higress.config.MaxTokensParam;
import ai.higress.config.PathStyle;
import ai.higress.config.ProviderConfig;
import ai.higress.error.UpstreamException;
import ai.higress.provider.ChatResult;
import ai.higress.provider.ErrorBodies;
import ai.higress.provider.ProviderAdapter;
import ai.higress.provider.RetryAfter;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamJson;
import ai.higress.provider.UpstreamRequest;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The OpenAI chat-completions wire protocol, and the Responses API relayed untouched to providers that serve it
 * ({@link ResponsesPassthrough}).
 */
public final class OpenAiAdapter implements ProviderAdapter {
    private static final String USER_AGENT = "ai-higress-gateway";

    private final Clock clock;
    private final ResponsesPassthrough responses;

    public OpenAiAdapter(Clock clock) {
        this.clock = clock;
        this.responses = new ResponsesPassthrough(clock);
    }

    @Override
    public UpstreamRequest toUpstream(ChatRequest request, Target target, String requestId) {
        if (ResponsesPassthrough.applies(request, target)) {
            return responses.toUpstream(request, target, headers(target, request.stream(), requestId));
        }
        ProviderConfig provider = target.provider();
        ObjectNode body = request.body().objectNode();
        body.setAll(request.body());
        body.put("model", target.upstreamModel());
        if (provider.maxTokensParam() == MaxTokensParam.MAX_TOKENS) {
            oldLimitName(body);
        }
        if (!provider.streamUsage()) {
            // the vendor rejects stream_options; it reports usage in its last chunk without being asked
            body.remove("stream_options");
        } else if (request.stream()) {
            ObjectNode options = body.objectNode();
            if (request.body().get("stream_options") instanceof ObjectNode clientOptions) {
                options.setAll(clientOptions);
            }
            options.put("include_usage", true);
            body.set("stream_options", options);
        }
        return new UpstreamRequest(path(provider, target.upstreamModel()), headers(target, request.stream(), requestId),
                Json.bytes(body), request.stream());
    }

    @Override
    public ChatResult toResponse(ChatRequest request, byte[] body, Target target) {
        if (ResponsesPassthrough.applies(request, target)) {
            return responses.toResponse(body, target);
        }
        JsonNode root = UpstreamJson.body(body, target);
        if (root.hasNonNull("error") && !root.has("choices")) {
            throw OpenAiErrors.fromErrorObject(target, 200, root, Map.of(), clock.instant());
        }
        Optional<Usage> usage = Usage.fromOpenAi(root.get("usage"));
        String finishReason = root.path("choices").path(0).path("finish_reason").asText("");
        return new ChatResult(body, usage, finishReason);
    }

    @Override
    public StreamTranslator newStreamTranslator(ChatRequest request, Target target) {
        if (ResponsesPassthrough.applies(request, target)) {
            return responses.newStreamTranslator(target);
        }
        return new OpenAiStreamTranslator(target, request.includeUsage(), clock);
    }

    @Override
    public UpstreamException classifyError(Target target, int status, Map<String, String> headers, byte[] body) {
        ErrorBodies error = ErrorBodies.read(status, body, headers.getOrDefault("content-type", ""));
        return OpenAiErrors.classify(target, status, error, RetryAfter.parse(headers, clock.instant()));
    }

    /**
     * Sends the output limit as {@code max_tokens} to a vendor that knows only that name: the ingress translators
     * (and current OpenAI clients) use {@code max_completion_tokens}, which such a vendor would ignore or refuse.
     */
    private static void oldLimitName(ObjectNode body) {
        JsonNode limit = body.remove("max_completion_tokens");
        if (limit != null && !limit.isNull()) {
            body.set("max_tokens", limit);
        }
    }

    static String path(ProviderConfig provider, String model) {
        return path(provider, model, "/chat/completions");
    }

    /** The path of {@code operation} ({@code /chat/completions}, {@code /embeddings}) in the provider's path style. */
    static String path(ProviderConfig provider, String model, String operation) {
        if (provider.pathStyle() == PathStyle.AZURE_DEPLOYMENT) {
            return "/deployments/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + operation + "?api-version="
                    + URLEncoder.encode(provider.apiVersion(), StandardCharsets.UTF_8);
        }
        return operation;
    }

    static Map<String, String> headers(Target target, boolean stream, String requestId) {
        ProviderConfig provider = target.provider();
        Map<String, String> headers = new LinkedHashMap<>(provider.headers());
        headers.put("content-type", "application/json");
        headers.put("accept", stream ? "text/event-stream" : "application/json");
        headers.put("user-agent", USER_AGENT);
        headers.put("x-request-id", requestId);
        if (!target.key().isNone()) {
            provider.authStyle().header(target.key().secret().reveal())
                    .ifPresent(header -> headers.put(header.getKey(), header.getValue()));
        }
        return headers;
    }
}
