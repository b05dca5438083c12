package ai.higress.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import ai.higress.config.GatewayConfig;
import ai.higress.error.GatewayException;
import ai.higress.provider.Target;
import ai.higress.routing.RoutingFixtures.FakeTicker;
import ai.higress.schema.RequestFeatures;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

/**
 * The router's capability checks: chat and embeddings never share a target, a protocol only gets the endpoints it
 * serves (Anthropic has no embeddings, Gemini embeds no token ids), reasoning and context windows skip targets with
 * the reason, and a plan that nothing can serve is refused with the client error that says why.
 */
class RouterCapabilitiesTest {
    private static final RequestFeatures CHAT = new RequestFeatures(false, false, false, false);
    private static final GatewayConfig CONFIG = GatewayConfig.create(Config.just(ConfigSources.create("""
            providers:
              oa:
                type: openai
                preset: vllm
                models:
                  - {name: chat-small, context-window: 1000, reasoning: false}
                  - {name: chat-big, context-window: 100000}
                  - {name: embed, embeddings: true, context-window: 8191}
                  - chat-unknown
              gm:
                type: gemini
                api-key: AIza-test-0123456789
                models:
                  - {name: text-embedding-004, embeddings: true, context-window: 2048}
                  - gemini-2.0-flash
              an:
                type: anthropic
                api-key: sk-ant-test-0123456789
                models: [claude-sonnet-4-5]
            models:
              chat:
                strategy: priority
                targets:
                  - {provider: oa, model: embed}
                  - {provider: oa, model: chat-small}
                  - {provider: oa, model: chat-big}
              embed:
                strategy: priority
                targets:
                  - {provider: gm, model: text-embedding-004}
                  - {provider: oa, model: embed}
                  - {provider: oa, model: chat-big}
                  - {provider: an, model: claude-sonnet-4-5}
              small-only: {targets: [{provider: oa, model: chat-small}]}
              small-and-blind:
                targets: [{provider: oa, model: chat-small}, {provider: oa, model: chat-big}]
              embed-gemini: {targets: [{provider: gm, model: text-embedding-004}]}
            """, MediaTypes.APPLICATION_X_YAML)));

    private final Router router = new Router(CONFIG, new HealthTracker(CONFIG.routing().health(),
            new FakeTicker(1_000_000_000L), () -> new SplittableRandom(0), RoutingListener.NONE),
            () -> new SplittableRandom(7));

    private static RequestFeatures chatOf(long promptTokens, long maxOutputTokens, boolean reasoning) {
        return new RequestFeatures(false, false, false, false, reasoning, false, false, promptTokens, maxOutputTokens,
                false);
    }

    private static List<String> planned(RoutePlan plan) {
        return plan.targets().stream().map(Target::label).toList();
    }

    private static Map<String, String> verdicts(RoutePlan plan) {
        Map<String, String> verdicts = new LinkedHashMap<>();
        plan.explanation().forEach(target -> verdicts.put(target.target().label(), target.verdict()));
        return verdicts;
    }

    private static GatewayException refused(RoutePlan plan, RequestFeatures features) {
        GatewayException failure = assertThrows(GatewayException.class,
                () -> TargetFit.requireServable(plan, features));
        assertEquals(400, failure.status());
        return failure;
    }

    @Test
    void chatIsNeverPlannedOnAnEmbeddingModel() {
        RoutePlan plan = router.plan("chat", CHAT);

        assertEquals(List.of("oa/chat-small", "oa/chat-big"), planned(plan));
        assertEquals("skipped: embeddings only", verdicts(plan).get("oa/embed"));
        TargetFit.requireServable(plan, CHAT);
    }

    @Test
    void embeddingsArePlannedOnlyOnEmbeddingModelsOfProtocolsThatEmbed() {
        RoutePlan text = router.plan("embed", RequestFeatures.embeddings(false, 10));
        assertEquals(List.of("gm/text-embedding-004", "oa/embed"), planned(text));
        assertEquals("skipped: lacks embeddings", verdicts(text).get("oa/chat-big"));
        assertEquals("skipped: lacks embeddings (anthropic protocol)", verdicts(text).get("an/claude-sonnet-4-5"));

        RoutePlan tokens = router.plan("embed", RequestFeatures.embeddings(true, 10));
        assertEquals(List.of("oa/embed"), planned(tokens), "Gemini embeds text only");
        assertEquals("skipped: lacks token-id input (gemini protocol)",
                verdicts(tokens).get("gm/text-embedding-004"));
    }

    @Test
    void aReasoningRequestSkipsModelsConfiguredWithoutReasoning() {
        RoutePlan plan = router.plan("chat", chatOf(10, 0, true));

        assertEquals(List.of("oa/chat-big"), planned(plan), "reasoning is assumed where it is not switched off");
        assertEquals("skipped: lacks reasoning", verdicts(plan).get("oa/chat-small"));
    }

    @Test
    void aKnownContextWindowTooSmallForPromptPlusCompletionIsSkipped() {
        assertEquals(List.of("oa/chat-small", "oa/chat-big"), planned(router.plan("chat", chatOf(800, 200, false))),
                "exactly the window still fits");

        RoutePlan plan = router.plan("chat", chatOf(900, 200, false));
        assertEquals(List.of("oa/chat-big"), planned(plan));
        assertEquals("skipped: context window 1000 < 1100 tokens (estimated)", verdicts(plan).get("oa/chat-small"));
        assertEquals(List.of("oa/chat-unknown"), planned(router.plan("oa/chat-unknown", chatOf(5_000_000, 0, false))),
                "an unknown window never skips");
        assertEquals(List.of("oa/embed"), planned(router.plan("embed", RequestFeatures.embeddings(false, 3000))),
                "for embeddings the longest single input counts");
    }

    @Test
    void aPlanWithOnlyTooSmallTargetsIsRefusedAsContextTooLong() {
        RequestFeatures tooLong = chatOf(2000, 100, false);
        GatewayException failure = refused(router.plan("small-only", tooLong), tooLong);

        assertEquals("context_length_exceeded", failure.code().orElseThrow());
        assertEquals("messages", failure.param().orElseThrow());
        assertEquals("This model's maximum context length is 1000 tokens. However, your request needs about 2100 "
                + "tokens (2000 estimated in the messages, 100 in the completion). Please reduce the length of the "
                + "messages or completion.", failure.getMessage());

        GatewayException embedding = refused(router.plan("embed-gemini", RequestFeatures.embeddings(false, 3000)),
                RequestFeatures.embeddings(false, 3000));
        assertEquals("context_length_exceeded", embedding.code().orElseThrow());
        assertEquals("input", embedding.param().orElseThrow());
        assertTrue(embedding.getMessage().contains("longest input has about 3000 tokens"), embedding.getMessage());
    }

    @Test
    void whenSomeTargetIsMerelyTooSmallTheRefusalIsAboutLength() {
        RequestFeatures longWithImage = new RequestFeatures(false, true, false, false, false, false, false, 200_000,
                0, false);
        RoutePlan plan = router.plan("small-and-blind", longWithImage);

        assertEquals(List.of(), planned(plan));
        GatewayException failure = refused(plan, longWithImage);
        assertEquals("context_length_exceeded", failure.code().orElseThrow(), "shortening is what could help");
        assertTrue(failure.getMessage().contains("maximum context length is 100000 tokens"), failure.getMessage());
    }

    @Test
    void aPlanWithOnlyIncapableTargetsNamesTheMissingCapability() {
        GatewayException chatOnEmbedding = refused(router.plan("oa/embed", CHAT), CHAT);
        assertEquals("unsupported_capability", chatOnEmbedding.code().orElseThrow());
        assertEquals("model", chatOnEmbedding.param().orElseThrow());
        assertEquals("The model `oa/embed` does not support chat completions: no target of it can serve this "
                + "request.", chatOnEmbedding.getMessage());

        RequestFeatures embeddings = RequestFeatures.embeddings(false, 5);
        GatewayException embeddingsOnChat = refused(router.plan("oa/chat-big", embeddings), embeddings);
        assertEquals("model", embeddingsOnChat.param().orElseThrow());
        assertTrue(embeddingsOnChat.getMessage().contains("does not support embeddings"));

        RequestFeatures tokens = RequestFeatures.embeddings(true, 5);
        GatewayException tokenIds = refused(router.plan("embed-gemini", tokens), tokens);
        assertEquals("input", tokenIds.param().orElseThrow());

        RequestFeatures reasoning = chatOf(5, 0, true);
        assertEquals("reasoning_effort", refused(router.plan("small-only", reasoning), reasoning).param()
                .orElseThrow());
    }
}
