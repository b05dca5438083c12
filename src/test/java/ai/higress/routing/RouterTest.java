package ai.higress.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import ai.higress.config.GatewayConfig;
import ai.higress.error.ErrorType;
import ai.higress.error.GatewayException;
import ai.higress.provider.Target;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouterTest {
    private static final GatewayConfig CONFIG = load("""
            providers:
              openai:
                type: openai
                api-key: sk-test-0123456789abcdef
                models: [gpt-4o, gpt-4o-mini, shared]
              groq:
                type: openai
                preset: groq
                api-key: gsk-test-0123456789abcdef
                models: [llama-3.1-8b-instant, shared, meta-llama/Llama-3-70b]
              together:
                type: openai
                preset: together
                api-key: tg-test-0123456789abcdef
                models: [meta-llama/Llama-3-70b]
            models:
              chat:
                targets:
                  - {provider: openai, model: gpt-4o-mini, weight: 1}
                  - {provider: groq, model: llama-3.1-8b-instant, weight: 3}
                  - {provider: together, model: spare, weight: 0}
              gpt-4o:
                targets:
                  - {provider: groq, model: llama-3.3-70b-versatile}
              openai/o1:
                targets:
                  - {provider: together, model: deepseek-r1}
            """);

    /** Fails the test if the router draws a random number (single-target plans need none). */
    private static final Supplier<RandomGenerator> NO_RANDOM = () -> {
        throw new AssertionError("no random draw expected");
    };

    private static GatewayConfig load(String yaml) {
        return GatewayConfig.create(Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML)));
    }

    private static Router router(GatewayConfig config, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new Router(config, () -> random);
    }

    private static List<String> labels(List<Target> targets) {
        return targets.stream().map(target -> target.label() + "@" + target.weight()).toList();
    }

    @Test
    void aLogicalModelComesFirst() {
        Router router = router(CONFIG, 1);
        RoutePlan chat = router.resolve("chat").orElseThrow();
        assertEquals("chat", chat.alias());
        assertEquals(List.of("openai/gpt-4o-mini@1", "groq/llama-3.1-8b-instant@3", "together/spare@0"),
                labels(chat.targets()), "resolve keeps configuration order and weights");
        // "gpt-4o" is also a bare name openai lists, but the logical model wins
        assertEquals(List.of("groq/llama-3.3-70b-versatile@1"), labels(router.resolve("gpt-4o").orElseThrow()
                .targets()));
        // "openai/o1" looks like provider/model, but the logical model wins
        RoutePlan o1 = new Router(CONFIG, NO_RANDOM).plan("openai/o1");
        assertEquals(new RoutePlan("openai/o1", List.of(new Target(CONFIG.providers().get("together"),
                "deepseek-r1", 1))), o1);
    }

    @Test
    void thenProviderSlashModel() {
        Router router = new Router(CONFIG, NO_RANDOM);
        assertEquals(new RoutePlan("openai/gpt-5", List.of(new Target(CONFIG.providers().get("openai"), "gpt-5", 1))),
                router.plan("openai/gpt-5"), "a provider's model need not be listed");
        // only the first slash separates the provider
        assertEquals(new RoutePlan("groq/meta-llama/Llama-3-70b",
                List.of(new Target(CONFIG.providers().get("groq"), "meta-llama/Llama-3-70b", 1))),
                router.plan("groq/meta-llama/Llama-3-70b"));
    }

    @Test
    void thenABareNameListedByOneProvider() {
        assertEquals(new RoutePlan("llama-3.1-8b-instant",
                List.of(new Target(CONFIG.providers().get("groq"), "llama-3.1-8b-instant", 1))),
                new Router(CONFIG, NO_RANDOM).plan("llama-3.1-8b-instant"));
    }

    @Test
    void thenABareNameListedBySeveralProviders() {
        Router router = router(CONFIG, 3);
        assertEquals(List.of("groq/shared@1", "openai/shared@1"), labels(router.resolve("shared").orElseThrow()
                .targets()), "providers in id order, as configuration lists them");
        // a slash in a bare name whose prefix is no provider
        RoutePlan llama = router.resolve("meta-llama/Llama-3-70b").orElseThrow();
        assertEquals("meta-llama/Llama-3-70b", llama.alias());
        assertEquals(List.of("groq/meta-llama/Llama-3-70b@1", "together/meta-llama/Llama-3-70b@1"),
                labels(llama.targets()));
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            RoutePlan plan = router.plan("shared");
            assertEquals(2, plan.targets().size());
            first.merge(plan.targets().getFirst().providerId(), 1, Integer::sum);
        }
        // equal weights: each provider goes first about half the time (mean 500, sd ~16; 5 sd bound)
        assertEquals(2, first.size());
        first.values().forEach(count -> assertTrue(Math.abs(count - 500) <= 80, first.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope", "openai/", "/gpt-4o", "anthropic/claude-3", "CHAT", "chat "})
    void otherwiseModelNotFound(String model) {
        Router router = new Router(CONFIG, NO_RANDOM);
        assertEquals(Optional.empty(), router.resolve(model));
        GatewayException failure = assertThrows(GatewayException.class, () -> router.plan(model));
        assertEquals(404, failure.status());
        assertEquals(ErrorType.INVALID_REQUEST, failure.type());
        assertEquals(Optional.of("model"), failure.param());
        assertEquals(Optional.of("model_not_found"), failure.code());
        assertEquals("The model `" + model + "` does not exist or you do not have access to it.",
                failure.getMessage());
    }

    @Test
    void weightZeroTargetsAreNeverPlanned() {
        Router router = router(CONFIG, 11);
        for (int i = 0; i < 2000; i++) {
            List<Target> targets = router.plan("chat").targets();
            assertEquals(2, targets.size());
            assertTrue(targets.stream().noneMatch(target -> target.weight() == 0), targets.toString());
        }
    }

    @Test
    void aSinglePositiveTargetNeedsNoDraw() {
        GatewayConfig config = load("""
                providers:
                  a: {type: openai, preset: vllm}
                models:
                  m:
                    targets:
                      - {provider: a, model: x, weight: 0}
                      - {provider: a, model: y, weight: 5}
                """);
        assertEquals(List.of("a/y@5"), labels(new Router(config, NO_RANDOM).plan("m").targets()));
    }

    @Test
    void weightedOrderMatchesTheWeights() {
        GatewayConfig config = load("""
                providers:
                  a: {type: openai, preset: vllm}
                  b: {type: openai, preset: vllm}
                  c: {type: openai, preset: vllm}
                models:
                  m:
                    targets:
                      - {provider: a, model: x, weight: 1}
                      - {provider: b, model: x, weight: 3}
                      - {provider: c, model: x, weight: 6}
                """);
        Router router = router(config, 20_250_814);
        int plans = 20_000;
        Map<String, Integer> first = new HashMap<>();
        Map<String, Integer> second = new HashMap<>();
        for (int i = 0; i < plans; i++) {
            List<Target> targets = router.plan("m").targets();
            assertEquals(3, targets.size());
            assertEquals(3, targets.stream().map(Target::providerId).distinct().count(), "a permutation");
            first.merge(targets.get(0).providerId(), 1, Integer::sum);
            second.merge(targets.get(1).providerId(), 1, Integer::sum);
        }
        // First pick: P = w / sum(w) = 0.1, 0.3, 0.6.
        // Second pick (draw without replacement): P(a second) = P(b first) * 1/7 + P(c first) * 1/4 = 0.192857...,
        // P(b second) = 0.1 * 3/9 + 0.6 * 3/4 = 0.483333..., P(c second) = 0.1 * 6/9 + 0.3 * 6/7 = 0.323809...
        // Each count is Binomial(n, p) with sd = sqrt(n p (1 - p)); the bound is 5 sd, which a correct draw exceeds
        // with probability below 6e-7 per check, whatever the seed.
        assertNear(plans, 0.1, first.get("a"));
        assertNear(plans, 0.3, first.get("b"));
        assertNear(plans, 0.6, first.get("c"));
        assertNear(plans, 0.3 / 7 + 0.6 / 4, second.get("a"));
        assertNear(plans, 0.1 * 3 / 9 + 0.6 * 3 / 4, second.get("b"));
        assertNear(plans, 0.1 * 6 / 9 + 0.3 * 6 / 7, second.get("c"));
    }

    private static void assertNear(int n, double p, Integer observed) {
        double mean = n * p;
        double bound = 5 * Math.sqrt(n * p * (1 - p));
        assertTrue(observed != null && Math.abs(observed - mean) <= bound,
                "observed " + observed + ", expected " + mean + " +- " + bound);
    }

    @Test
    void sameSeedSameOrder() {
        Router one = router(CONFIG, 99);
        Router two = router(CONFIG, 99);
        for (int i = 0; i < 50; i++) {
            assertEquals(one.plan("chat"), two.plan("chat"));
        }
    }

    @Test
    void catalogListsLogicalModelsThenEachProvidersModels() {
        assertEquals(List.of(new ModelEntry("chat", "ai-higress"), new ModelEntry("gpt-4o", "ai-higress"),
                new ModelEntry("openai/o1", "ai-higress"),
                new ModelEntry("groq/llama-3.1-8b-instant", "groq"), new ModelEntry("groq/shared", "groq"),
                new ModelEntry("groq/meta-llama/Llama-3-70b", "groq"),
                new ModelEntry("openai/gpt-4o", "openai"), new ModelEntry("openai/gpt-4o-mini", "openai"),
                new ModelEntry("openai/shared", "openai"),
                new ModelEntry("together/meta-llama/Llama-3-70b", "together")),
                new Router(CONFIG, NO_RANDOM).catalog());
    }

    @Test
    void catalogOrderIsByNameThenListOrderWhateverTheFileOrder() {
        // Helidon's config tree hashes object members, so the file order cannot be kept; name order is stable
        GatewayConfig config = load("""
                providers:
                  zz: {type: openai, preset: vllm, models: [m9, m1]}
                  mm: {type: openai, preset: vllm}
                  aa: {type: openai, preset: vllm, models: [b]}
                models:
                  zeta: {targets: [{provider: aa, model: b}]}
                  alpha: {targets: [{provider: zz, model: m1}]}
                  mid: {targets: [{provider: mm, model: q}]}
                """);
        assertEquals(List.of("alpha", "mid", "zeta", "aa/b", "zz/m9", "zz/m1"),
                new Router(config, NO_RANDOM).catalog().stream().map(ModelEntry::id).toList());
        assertEquals(List.of("aa", "mm", "zz"), List.copyOf(config.providers().keySet()));
    }
}
