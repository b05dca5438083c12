package ai.higress.routing;

import java.util.Optional;

import ai.higress.config.ModelCapabilities;
import ai.higress.config.ProviderType;
import ai.higress.error.ErrorType;
import ai.higress.error.GatewayException;
import ai.higress.provider.Target;
import ai.higress.schema.RequestFeatures;

/**
 * Whether a target can serve a request at all, whatever its health: its protocol must carry the request's endpoint,
 * its model must be of the right kind (chat or embeddings) and have every capability the request uses, and a known
 * context window must hold the estimated request. The router skips a misfit with its verdict; when every target of a
 * plan is a misfit the request is refused with the client error that names what to change.
 */
final class TargetFit {

    /** What a target lacks, with the request parameter a refusal names and how the refusal describes it. */
    enum Gap {
        NO_CHAT("model", "chat completions"),
        NO_EMBEDDINGS("model", "embeddings"),
        NO_TOKEN_INPUT("input", "embeddings of token ids (send 'input' as strings)"),
        TOOLS("tools", "tools"),
        VISION("messages", "image inputs"),
        JSON_MODE("response_format", "JSON output (response_format)"),
        STREAMING("stream", "streaming"),
        REASONING("reasoning_effort", "reasoning (reasoning_effort)"),
        CONTEXT_WINDOW("messages", "a request this long"),
        UPSTREAM_STATE("previous_response_id", "continuing a response that only its upstream holds");

        private final String param;
        private final String what;

        Gap(String param, String what) {
            this.param = param;
            this.what = what;
        }
    }

    /** A target that cannot serve the request: the gap and the plan explanation's verdict text. */
    record Misfit(Gap gap, String verdict) {
    }

    private TargetFit() {
    }

    static Optional<Misfit> misfit(Target target, RequestFeatures features) {
        ProviderType type = target.provider().type();
        ModelCapabilities capabilities = target.capabilities();
        if (features.upstreamState() && !target.provider().responsesApi()) {
            return misfit(Gap.UPSTREAM_STATE, "lacks responses-api (the previous response is held upstream)");
        }
        if (features.embeddings()) {
            if (!type.servesEmbeddings()) {
                return misfit(Gap.NO_EMBEDDINGS, "lacks embeddings (" + type.configName() + " protocol)");
            }
            if (!capabilities.embeddings()) {
                return misfit(Gap.NO_EMBEDDINGS, "lacks embeddings");
            }
            if (features.tokenInput() && !type.embedsTokenIds()) {
                return misfit(Gap.NO_TOKEN_INPUT, "lacks token-id input (" + type.configName() + " protocol)");
            }
        } else if (capabilities.embeddings()) {
            return misfit(Gap.NO_CHAT, "embeddings only");
        } else if (!type.servesChat()) {
            return misfit(Gap.NO_CHAT, "lacks chat (" + type.configName() + " protocol)");
        }
        Optional<String> missing = capabilities.missing(features.tools(), features.vision(), features.jsonMode(),
                features.streaming(), features.reasoning());
        if (missing.isPresent()) {
            return misfit(gapOf(missing.get()), "lacks " + missing.get());
        }
        if (capabilities.tooSmallFor(features.promptTokens(), features.maxOutputTokens())) {
            return misfit(Gap.CONTEXT_WINDOW, "context window " + capabilities.contextWindow() + " < "
                    + (features.promptTokens() + features.maxOutputTokens()) + " tokens (estimated)");
        }
        return Optional.empty();
    }

    /**
     * Refuses a request none of whose targets can serve it: a plan with nothing to try (healthy or last resort) in
     * which at least one target was a misfit. A too-long request is reported as such when any target was too small
     * for it (shortening may help); otherwise the first misfit's gap is. A plan that is empty for other reasons (every
     * weight 0) is left to the attempt loop.
     */
    static void requireServable(RoutePlan plan, RequestFeatures features) {
        if (!plan.targets().isEmpty() || !plan.lastResort().isEmpty()) {
            return;
        }
        Optional<Gap> first = Optional.empty();
        int largestWindow = 0;
        for (RoutePlan.PlannedTarget planned : plan.explanation()) {
            Optional<Misfit> misfit = misfit(planned.target(), features);
            if (misfit.isEmpty()) {
                continue;
            }
            if (first.isEmpty()) {
                first = Optional.of(misfit.get().gap());
            }
            if (misfit.get().gap() == Gap.CONTEXT_WINDOW) {
                largestWindow = Math.max(largestWindow, planned.target().capabilities().contextWindow());
            }
        }
        if (largestWindow > 0) {
            throw contextTooLong(largestWindow, features);
        }
        if (first.isPresent()) {
            Gap gap = first.get();
            throw new GatewayException(400, ErrorType.INVALID_REQUEST, "The model `" + plan.alias()
                    + "` does not support " + gap.what + ": no target of it can serve this request.",
                    Optional.of(gap.param), Optional.of("unsupported_capability"));
        }
    }

    private static GatewayException contextTooLong(int window, RequestFeatures features) {
        long needed = features.promptTokens() + features.maxOutputTokens();
        String message;
        if (features.embeddings()) {
            message = "This model's maximum context length is " + window + " tokens. However, your longest input "
                    + "has about " + needed + " tokens (estimated). Please reduce the length of the input.";
        } else {
            message = "This model's maximum context length is " + window + " tokens. However, your request needs "
                    + "about " + needed + " tokens (" + features.promptTokens() + " estimated in the messages, "
                    + features.maxOutputTokens() + " in the completion). Please reduce the length of the messages "
                    + "or completion.";
        }
        return new GatewayException(400, ErrorType.INVALID_REQUEST, message,
                Optional.of(features.embeddings() ? "input" : "messages"), Optional.of("context_length_exceeded"));
    }

    private static Optional<Misfit> misfit(Gap gap, String verdict) {
        return Optional.of(new Misfit(gap, verdict));
    }

    private static Gap gapOf(String capability) {
        return switch (capability) {
            case "tools" -> Gap.TOOLS;
            case "vision" -> Gap.VISION;
            case "json-mode" -> Gap.JSON_MODE;
            case "streaming" -> Gap.STREAMING;
            default -> Gap.REASONING;
        };
    }
}
