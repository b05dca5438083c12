package ai.higress.routing;

import java.util.Optional;

import ai.higress.config.ModelCapabilities;
import ai.higress.config.ProviderType;
import ai.higress.error.ErrorType;
import ai.higress.error.GatewayException;
import ai.higress.provider.Target;
import ai.higress.schema.RequestFeatures;
import ai.higress.schema.WireProtocol;

/**
 * Whether a target can serve a request at all, whatever its health: its protocol must carry the request's endpoint,
 * its model must be of the right kind (chat or embeddings) and have every capability the request uses, and a known
 * context window must hold the estimated request. The router skips a misfit with its verdict; when every target of a
 * plan is a misfit the request is refused with the client error that names what to change.
 */
final class TargetFit {

    /**
     * What a target lacks, with the request parameter a refusal names (in each client dialect's own terms: chat
     * completions, Messages, Responses) and how the refusal describes it ({@code %s} standing for the parameter).
     */
    enum Gap {
        NO_CHAT("model", "chat completions"),
        NO_EMBEDDINGS("model", "embeddings"),
        NO_TOKEN_INPUT("input", "embeddings of token ids (send 'input' as strings)"),
        TOOLS("tools", "tools"),
        VISION("messages", "messages", "input", "image inputs"),
        JSON_MODE("response_format", "response_format", "text.format", "JSON output (%s)"),
        STREAMING("stream", "streaming"),
        REASONING("reasoning_effort", "thinking", "reasoning.effort", "reasoning (%s)"),
        CONTEXT_WINDOW("messages", "messages", "input", "a request this long"),
        UPSTREAM_STATE("previous_response_id", "continuing a response that only its upstream holds");

        private final String chat;
        private final String messages;
        private final String responses;
        private final String what;

        Gap(String param, String what) {
            this(param, param, param, what);
        }

        Gap(String chat, String messages, String responses, String what) {
            this.chat = chat;
            this.messages = messages;
            this.responses = responses;
            this.what = what;
        }

        /** The request parameter that asked for what is missing, as {@code client} names it. */
        String param(WireProtocol client) {
            return switch (client) {
                case ANTHROPIC_MESSAGES -> messages;
                case OPENAI_RESPONSES -> responses;
                default -> chat;
            };
        }

        String what(WireProtocol client) {
            return what.formatted(param(client));
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

    /** As {@link #requireServable(RoutePlan, RequestFeatures, WireProtocol)} for OpenAI chat and embeddings clients. */
    static void requireServable(RoutePlan plan, RequestFeatures features) {
        requireServable(plan, features, WireProtocol.OPENAI_CHAT);
    }

    /**
     * Refuses a request none of whose targets can serve it: a plan with nothing to try (healthy or last resort) in
     * which at least one target was a misfit. A too-long request is reported as such when any target was too small
     * for it (shortening may help); otherwise the first misfit's gap is. A plan that is empty for other reasons (every
     * weight 0) is left to the attempt loop. The refusal names the parameter as the {@code client}'s dialect does.
     */
    static void requireServable(RoutePlan plan, RequestFeatures features, WireProtocol client) {
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
            throw contextTooLong(largestWindow, features, client);
        }
        if (first.isPresent()) {
            Gap gap = first.get();
            throw new GatewayException(400, ErrorType.INVALID_REQUEST, "The model `" + plan.alias()
                    + "` does not support " + gap.what(client) + ": no target of it can serve this request.",
                    Optional.of(gap.param(client)), Optional.of("unsupported_capability"));
        }
    }

    private static GatewayException contextTooLong(int window, RequestFeatures features, WireProtocol client) {
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
                Optional.of(features.embeddings() ? "input" : Gap.CONTEXT_WINDOW.param(client)),
                Optional.of("context_length_exceeded"));
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
