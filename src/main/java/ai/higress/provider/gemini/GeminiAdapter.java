package ai.higress.provider.gemini;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import ai.higress.error.UpstreamException;
import ai.higress.provider.ChatResult;
import ai.higress.provider.ProviderAdapter;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamRequest;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;
import ai.higress.schema.WireProtocol;

/**
 * Google's Gemini API: {@code POST <base-url>/models/{model}:generateContent}, or
 * {@code :streamGenerateContent?alt=sse} for streams, the key in {@code x-goog-api-key}. Requests are translated from
 * the canonical OpenAI chat form; answers come back as OpenAI chat completions and chunks. A client that speaks Gemini
 * itself (see {@link ChatRequest#nativeTo}) takes the fast path: its body is sent as it came (only the path names the
 * target's model) and the answer is relayed untouched.
 */
public final class GeminiAdapter implements ProviderAdapter {
    private static final String USER_AGENT = "ai-higress-gateway";

    private final Clock clock;
    private final Supplier<String> ids;

    public GeminiAdapter(Clock clock) {
        this(clock, () -> UUID.randomUUID().toString().replace("-", ""));
    }

    /** @param ids completion ids for answers that carry no {@code responseId} of their own */
    GeminiAdapter(Clock clock, Supplier<String> ids) {
        this.clock = clock;
        this.ids = ids;
    }

    @Override
    public UpstreamRequest toUpstream(ChatRequest request, Target target, String requestId) {
        String path = GeminiModels.path(target.upstreamModel(), request.stream());
        byte[] body = Json.bytes(relayed(request) ? request.clientBody()
                : GeminiRequest.translate(request.body(), target.upstreamModel(), request.stream()));
        return new UpstreamRequest(path, headers(target, request.stream(), requestId), body, request.stream());
    }

    @Override
    public ChatResult toResponse(ChatRequest request, byte[] body, Target target) {
        if (relayed(request)) {
            return GeminiResponse.relayed(body, target);
        }
        return GeminiResponse.read(body, target, ids.get(), clock.instant().getEpochSecond());
    }

    @Override
    public StreamTranslator newStreamTranslator(ChatRequest request, Target target) {
        if (relayed(request)) {
            return new GeminiRelayTranslator(target);
        }
        return new GeminiStreamTranslator(target, request.includeUsage(), ids, clock.instant().getEpochSecond());
    }

    @Override
    public UpstreamException classifyError(Target target, int status, Map<String, String> headers, byte[] body) {
        return GeminiErrors.classify(target, status, headers, body, clock.instant());
    }

    /** A client that speaks Gemini itself gets its own request relayed untouched, and the answer as it came. */
    private static boolean relayed(ChatRequest request) {
        return request.nativeTo(WireProtocol.GEMINI);
    }

    static Map<String, String> headers(Target target, boolean stream, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>(target.provider().headers());
        headers.put("content-type", "application/json");
        headers.put("accept", stream ? "text/event-stream" : "application/json");
        headers.put("user-agent", USER_AGENT);
        headers.put("x-request-id", requestId);
        if (!target.key().isNone()) {
            target.provider().authStyle().header(target.key().secret().reveal())
                    .ifPresent(header -> headers.put(header.getKey(), header.getValue()));
        }
        return headers;
    }
}
