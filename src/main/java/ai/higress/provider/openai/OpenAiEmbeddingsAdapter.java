package ai.higress.provider.openai;

import java.time.Clock;
import java.util.Map;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.EmbeddingsAdapter;
import ai.higress.provider.EmbeddingsResult;
import ai.higress.provider.ErrorBodies;
import ai.higress.provider.RetryAfter;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamJson;
import ai.higress.provider.UpstreamRequest;
import ai.higress.schema.EmbeddingsRequest;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code /embeddings} of OpenAI-compatible upstreams: the client's body with only {@code model} replaced (the upstream
 * encodes base64 itself), the answer relayed byte for byte. Azure deployments get their deployment path.
 */
public final class OpenAiEmbeddingsAdapter implements EmbeddingsAdapter {
    private final Clock clock;

    public OpenAiEmbeddingsAdapter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public UpstreamRequest toUpstream(EmbeddingsRequest request, Target target, String requestId) {
        ObjectNode body = request.body().objectNode();
        body.setAll(request.body());
        body.put("model", target.upstreamModel());
        return new UpstreamRequest(OpenAiAdapter.path(target.provider(), target.upstreamModel(), "/embeddings"),
                OpenAiAdapter.headers(target, false, requestId), Json.bytes(body), false);
    }

    @Override
    public EmbeddingsResult toResponse(EmbeddingsRequest request, byte[] body, Target target) {
        JsonNode root = UpstreamJson.body(body, target);
        if (root.hasNonNull("error") && !root.has("data")) {
            throw OpenAiErrors.fromErrorObject(target, 200, root, Map.of(), clock.instant());
        }
        if (!root.path("data").isArray()) {
            throw UpstreamException.transport(ErrorKind.PROTOCOL,
                    "provider '" + target.providerId() + "' answered without a 'data' array of embeddings");
        }
        JsonNode usage = root.path("usage");
        if (!usage.path("prompt_tokens").canConvertToLong()) {
            // some compatible servers report no usage: the gateway's estimate keeps limits and costs honest
            long estimate = request.estimatedTokens();
            return new EmbeddingsResult(body, new Usage(estimate, 0, estimate, 0, 0), true);
        }
        long prompt = usage.path("prompt_tokens").asLong();
        return new EmbeddingsResult(body, new Usage(prompt, 0, usage.path("total_tokens").asLong(prompt), 0, 0),
                false);
    }

    @Override
    public UpstreamException classifyError(Target target, int status, Map<String, String> headers, byte[] body) {
        ErrorBodies error = ErrorBodies.read(status, body, headers.getOrDefault("content-type", ""));
        return OpenAiErrors.classify(target, status, error, RetryAfter.parse(headers, clock.instant()));
    }
}
