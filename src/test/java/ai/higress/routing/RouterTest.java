package ai.higress.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import ai.higress.config.GatewayConfig;
import ai.higress.config.HedgeConfig;
import ai.higress.config.Strategy;
import ai.higress.error.ErrorKind;
import ai.higress.error.ErrorType;
import ai.higress.error.GatewayException;
import ai.higress.provider.Target;
import ai.higress.routing.RoutingFixtures.FakeTicker;
import ai.higress.schema.RequestFeatures;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouterTest {
    private static final long MS = 1_000_000L;
    private static final RequestFeatures PLAIN = new RequestFeatures(false, false, false, false);
    private static final HealthSnapshot FRESH = new HealthSnapshot(CircuitState.CLOSED, 0, 0, 0, 0, 0, 0, "");

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

    private final FakeTicker clock = new FakeTicker(10_000_000 * MS);

    private static GatewayConfig load(String yaml) {
        return GatewayConfig.create(Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML)));
    }

    private HealthTracker health(GatewayConfig config) {
        return new HealthTracker(config.routing().health(), clock, () -> new SplittableRandom(0),
                RoutingListener.NONE);
    }

    private Router router(GatewayConfig config, long seed) {
        return router(config, health(config), seed);
    }

    private static Router router(GatewayConfig config, HealthTracker health, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new Router(config, health, () -> random);
    }

    private static List<String> labels(List<Target> targets) {
        return targets.stream().map(target -> target.label() + "@" + target.weight()).toList();
    }

    private static Target target(GatewayConfig config, String provider, String model) {
        return new Target(config.providers().get(provider), model, 1);
    }

    /** Label to verdict, in explanation order. */
    private static Map<String, String> verdicts(RoutePlan plan) {
        Map<String, String> verdicts = new LinkedHashMap<>();
        plan.explanation().forEach(planned -> verdicts.put(planned.model() + ":" + planned.target().label(),
                planned.verdict()));
        return verdicts;
    }

    @Test
    void aLogicalModelComesFirst() {
        Router router = router(CONFIG, 1);
        Router.Resolution chat = router.resolve("chat").orElseThrow();
        assertEquals("chat", chat.alias());
        assertEquals(List.of("openai/gpt-4o-mini@1", "groq/llama-3.1-8b-instant@3", "together/spare@0"),
                labels(chat.targets()), "resolve keeps configuration order and weights");
        assertEquals(Strategy.WEIGHTED, chat.strategy());
        assertEquals(List.of(), chat.fallbacks());
        assertEquals(HedgeConfig.DISABLED, chat.hedge());
        // "gpt-4o" is also a bare name openai lists, but the logical model wins
        assertEquals(List.of("groq/llama-3.3-70b-versatile@1"), labels(router.resolve("gpt-4o").orElseThrow()
                .targets()));
        // "openai/o1" looks like provider/model, but the logical model wins
        Target deepseek = target(CONFIG, "together", "deepseek-r1");
        assertEquals(new RoutePlan("openai/o1", Strategy.WEIGHTED, HedgeConfig.DISABLED, List.of(deepseek), List.of(),
                List.of(new RoutePlan.PlannedTarget("openai/o1", deepseek, 1.0, FRESH, "planned #1"))),
                router.plan("openai/o1", PLAIN));
    }

    @Test
    void thenProviderSlashModel() {
        Router router = router(CONFIG, 2);
        Target gpt5 = target(CONFIG, "openai", "gpt-5");
        assertEquals(new RoutePlan("openai/gpt-5", Strategy.WEIGHTED, HedgeConfig.DISABLED, List.of(gpt5), List.of(),
                List.of(new RoutePlan.PlannedTarget("openai/gpt-5", gpt5, 1.0, FRESH, "planned #1"))),
                router.plan("openai/gpt-5", PLAIN), "a provider's model need not be listed");
        // only the first slash separates the provider
        RoutePlan llama = router.plan("groq/meta-llama/Llama-3-70b", PLAIN);
        assertEquals("groq/meta-llama/Llama-3-70b", llama.alias());
        assertEquals(List.of(target(CONFIG, "groq", "meta-llama/Llama-3-70b")), llama.targets());
    }

    @Test
    void thenABareNameListedByOneProvider() {
        RoutePlan plan = router(CONFIG, 3).plan("llama-3.1-8b-instant", PLAIN);
        assertEquals("llama-3.1-8b-instant", plan.alias());
        assertEquals(List.of(target(CONFIG, "groq", "llama-3.1-8b-instant")), plan.targets());
        assertEquals(List.of(), plan.lastResort());
    }

    @Test
    void thenABareNameListedBySeveralProviders() {
        Router router = router(CONFIG, 3);
        assertEquals(List.of("groq/shared@1", "openai/shared@1"), labels(router.resolve("shared").orElseThrow()
                .targets()), "providers in id order, as configuration lists them");
        // a slash in a bare name whose prefix is no provider
        Router.Resolution llama = router.resolve("meta-llama/Llama-3-70b").orElseThrow();
        assertEquals("meta-llama/Llama-3-70b", llama.alias());
        assertEquals(List.of("groq/meta-llama/Llama-3-70b@1", "together/meta-llama/Llama-3-70b@1"),
                labels(llama.targets()));
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            RoutePlan plan = router.plan("shared", PLAIN);
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
        Router router = router(CONFIG, 4);
        assertEquals(Optional.empty(), router.resolve(model));
        GatewayException failure = assertThrows(GatewayException.class, () -> router.plan(model, PLAIN));
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
            RoutePlan plan = router.plan("chat", PLAIN);
            List<Target> targets = plan.targets();
            assertEquals(2, targets.size());
            assertTrue(targets.stream().noneMatch(target -> target.weight() == 0), targets.toString());
            assertEquals("skipped: weight 0", verdicts(plan).get("chat:together/spare"));
            assertEquals(List.of(), plan.lastResort());
        }
    }

    @Test
    void aSinglePositiveTargetIsAlwaysPlanned() {
        GatewayConfig config = load("""
                providers:
                  a: {type: openai, preset: vllm}
                models:
                  m:
                    targets:
                      - {provider: a, model: x, weight: 0}
                      - {provider: a, model: y, weight: 5}
                """);
        for (long seed = 0; seed < 20; seed++) {
            RoutePlan plan = router(config, seed).plan("m", PLAIN);
            assertEquals(List.of("a/y@5"), labels(plan.targets()));
            assertEquals(List.of("skipped: weight 0", "planned #1"),
                    plan.explanation().stream().map(RoutePlan.PlannedTarget::verdict).toList());
            assertEquals(5.0, plan.explanation().get(1).effectiveWeight());
        }
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
            List<Target> targets = router.plan("m", PLAIN).targets();
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
            assertEquals(one.plan("chat", PLAIN), two.plan("chat", PLAIN));
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
                router(CONFIG, 5).catalog());
    }

    @Test
    void catalogOrderIsByNameThenListOrderWhateverTheFileOrder() {
        // Helidon's config tree hashes object members, so the file order cannot be kept; name order is stable
        GatewayConfig config = load("""
                providers:
                  zz: {type: openai, preset: vllm, models: [m9, {name: m1, vision: false}]}
                  mm: {type: openai, preset: vllm}
                  aa: {type: openai, preset: vllm, models: [b]}
                models:
                  zeta: {targets: [{provider: aa, model: b}]}
                  alpha: {targets: [{provider: zz, model: m1}]}
                  mid: {targets: [{provider: mm, model: q}]}
                """);
        assertEquals(List.of("alpha", "mid", "zeta", "aa/b", "zz/m9", "zz/m1"),
                router(config, 6).catalog().stream().map(ModelEntry::id).toList());
        assertEquals(List.of("aa", "mm", "zz"), List.copyOf(config.providers().keySet()));
    }

    @Test
    void priorityTiersComeFirstWhateverTheWeights() {
        GatewayConfig config = load("""
                providers:
                  a: {type: openai, preset: vllm}
                  b: {type: openai, preset: vllm}
                  c: {type: openai, preset: vllm}
                  d: {type: openai, preset: vllm}
                models:
                  m:
                    targets:
                      - {provider: a, model: x, weight: 1000, priority: 1}
                      - {provider: b, model: x, weight: 1}
                      - {provider: c, model: x, weight: 500, priority: 2}
                      - {provider: d, model: x, weight: 1, priority: 0}
                """);
        Router router = router(config, 8);
        Map<String, Integer> orders = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            RoutePlan plan = router.plan("m", PLAIN);
            orders.merge(String.join(",", plan.targets().stream().map(Target::providerId).toList()), 1,
                    Integer::sum);
            assertEquals(List.of("planned #1", "planned #2", "planned #3", "planned #4"),
                    plan.explanation().stream().map(RoutePlan.PlannedTarget::verdict).toList());
        }
        assertEquals(List.of("b,d,a,c", "d,b,a,c"), orders.keySet().stream().sorted().toList(),
                "tier 0 (b, d, in weighted order) before tier 1 before tier 2");
    }

    @Test
    void targetsLackingACapabilityAreSkippedWithTheReason() {
        GatewayConfig config = load("""
                providers:
                  text:
                    type: openai
                    preset: vllm
                    capabilities: {vision: false}
                    models: [t1, {name: t2, vision: true}, {name: t3, tools: false}, {name: t4, json-mode: false}]
                  nostream: {type: openai, preset: ollama, capabilities: {streaming: false}}
                models:
                  m:
                    strategy: priority
                    targets:
                      - {provider: text, model: t1}
                      - {provider: text, model: t2}
                      - {provider: text, model: t3}
                      - {provider: text, model: t4}
                      - {provider: nostream, model: s}
                      - {provider: text, model: t5, weight: 0}
                """);
        Router router = router(config, 9);
        RoutePlan vision = router.plan("m", new RequestFeatures(false, true, false, false));
        assertEquals(List.of("text/t2", "nostream/s"), vision.targets().stream().map(Target::label).toList());
        assertEquals(List.of("m:text/t1=skipped: lacks vision", "m:text/t3=skipped: lacks vision",
                "m:text/t4=skipped: lacks vision", "m:text/t5=skipped: weight 0", "m:text/t2=planned #1",
                "m:nostream/s=planned #2"), verdicts(vision).entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue()).toList());
        // the first missing capability is named, in the order tools, vision, json-mode, streaming
        Map<String, String> all = verdicts(router.plan("m", new RequestFeatures(true, true, true, true)));
        assertEquals("skipped: lacks vision", all.get("m:text/t1"));
        assertEquals("planned #1", all.get("m:text/t2"));
        assertEquals("skipped: lacks tools", all.get("m:text/t3"));
        assertEquals("skipped: lacks vision", all.get("m:text/t4"));
        assertEquals("skipped: lacks streaming", all.get("m:nostream/s"));
        Map<String, String> json = verdicts(router.plan("m", new RequestFeatures(false, false, true, true)));
        assertEquals("skipped: lacks json-mode", json.get("m:text/t4"));
        assertEquals("skipped: lacks streaming", json.get("m:nostream/s"));
        assertEquals("planned #1", json.get("m:text/t1"));
        // nothing capable left: an empty plan, not a 404
        GatewayConfig single = load("""
                providers:
                  text: {type: openai, preset: vllm, capabilities: {tools: false}}
                models:
                  m: {targets: [{provider: text, model: t}]}
                """);
        RoutePlan none = router(single, 1).plan("m", new RequestFeatures(true, false, false, false));
        assertEquals(List.of(), none.targets());
        assertEquals(List.of(), none.lastResort());
        assertEquals("skipped: lacks tools", none.explanation().getFirst().verdict());
    }

    @Test
    void openCircuitsBecomeLastResortsSoonestRecoveringFirst() {
        GatewayConfig config = load("""
                providers:
                  a: {type: openai, preset: vllm}
                  b: {type: openai, preset: vllm}
                  c: {type: openai, preset: vllm}
                  d: {type: openai, preset: vllm}
                models:
                  m:
                    targets:
                      - {provider: a, model: x}
                      - {provider: b, model: x}
                      - {provider: c, model: x}
                      - {provider: d, model: x, priority: 1}
                """);
        HealthTracker health = health(config);
        health.onFailure(target(config, "b", "x"), ErrorKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(30)));
        health.onFailure(target(config, "d", "x"), ErrorKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(20)));
        health.onFailure(target(config, "c", "x"), ErrorKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(10)));
        RoutePlan plan = router(config, health, 12).plan("m", PLAIN);
        assertEquals(List.of("a/x"), plan.targets().stream().map(Target::label).toList());
        assertEquals(List.of("c/x", "d/x", "b/x"), plan.lastResort().stream().map(Target::label).toList(),
                "ordered by remaining cooldown: 10 s, 20 s, 30 s, whatever the tier");
        Map<String, String> verdicts = verdicts(plan);
        assertEquals("last resort", verdicts.get("m:b/x"));
        assertEquals("last resort", verdicts.get("m:c/x"));
        assertEquals("last resort", verdicts.get("m:d/x"));
        assertEquals("planned #1", verdicts.get("m:a/x"));
        RoutePlan.PlannedTarget cooling = plan.explanation().stream()
                .filter(planned -> planned.target().label().equals("b/x")).findFirst().orElseThrow();
        assertEquals(0.0, cooling.effectiveWeight());
        assertEquals(CircuitState.OPEN, cooling.health().state());
        assertEquals(Duration.ofSeconds(30).toNanos(), cooling.health().cooldownNanosLeft());
        assertEquals("rate limited", cooling.health().reason());
        // a half-open circuit is planned again (its probe is claimed when an attempt picks it)
        clock.advance(Duration.ofSeconds(10));
        RoutePlan later = router(config, health, 12).plan("m", PLAIN);
        assertEquals(List.of("a/x", "c/x"), later.targets().stream().map(Target::label).sorted().toList());
        assertEquals(List.of("d/x", "b/x"), later.lastResort().stream().map(Target::label).toList());
    }

    @Test
    void aProviderWhoseKeysAllCoolIsALastResortOrderedByItsKeysCooldown() {
        GatewayConfig config = load("""
                providers:
                  k:
                    type: openai
                    preset: openai
                    api-keys: [sk-one-0123456789, sk-two-0123456789]
                  a: {type: openai, preset: vllm}
                  b: {type: openai, preset: vllm}
                models:
                  m:
                    targets:
                      - {provider: k, model: x}
                      - {provider: a, model: x}
                      - {provider: b, model: x}
                """);
        HealthTracker health = health(config);
        Target k = target(config, "k", "x");
        health.onFailure(k.withKey(config.providers().get("k").keys().get(0)), ErrorKind.AUTH, Optional.empty());
        health.onFailure(k.withKey(config.providers().get("k").keys().get(1)), ErrorKind.RATE_LIMITED,
                Optional.of(Duration.ofSeconds(60)));
        health.onFailure(target(config, "a", "x"), ErrorKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(5)));
        RoutePlan plan = router(config, health, 13).plan("m", PLAIN);
        assertEquals(List.of("b/x"), plan.targets().stream().map(Target::label).toList());
        assertEquals(CircuitState.CLOSED, health.target(k).state(clock.nanos()), "only its keys cool");
        assertEquals("last resort", verdicts(plan).get("m:k/x"));
        assertEquals(List.of("a/x", "k/x"), plan.lastResort().stream().map(Target::label).toList(),
                "a recovers in 5 s; k's first key only in 60 s");
    }

    @Test
    void fallbackModelsFollowTheirOwnTiersWithoutDuplicates() {
        GatewayConfig config = load("""
                providers:
                  p: {type: openai, preset: vllm}
                  q: {type: openai, preset: vllm}
                  r: {type: openai, preset: vllm}
                  s: {type: openai, preset: vllm}
                models:
                  a:
                    strategy: priority
                    hedge: {after: PT1S}
                    fallbacks: [b, c]
                    targets:
                      - {provider: q, model: y, priority: 1}
                      - {provider: p, model: x}
                  b:
                    strategy: latency
                    fallbacks: [c]
                    targets:
                      - {provider: q, model: y}
                      - {provider: r, model: z, priority: 1}
                  c:
                    targets:
                      - {provider: r, model: z}
                      - {provider: s, model: w}
                """);
        RoutePlan plan = router(config, 14).plan("a", PLAIN);
        assertEquals("a", plan.alias());
        assertEquals(Strategy.PRIORITY, plan.strategy(), "the requested model's strategy and hedging");
        assertEquals(new HedgeConfig(true, Duration.ofSeconds(1), false, 0.1), plan.hedge());
        assertEquals(List.of("p/x", "q/y", "r/z", "s/w"), plan.targets().stream().map(Target::label).toList());
        assertEquals(List.of("a:p/x=planned #1", "a:q/y=planned #2", "b:q/y=skipped: already planned",
                "b:r/z=planned #3", "c:r/z=skipped: already planned", "c:s/w=planned #4"),
                plan.explanation().stream().map(planned -> planned.model() + ":" + planned.target().label() + "="
                        + planned.verdict()).toList());
    }

    @Test
    void effectiveWeightIsWeightTimesHealthTimesRelativeLatency() {
        GatewayConfig config = load("""
                providers:
                  p1: {type: openai, preset: vllm}
                  p2: {type: openai, preset: vllm}
                  p3: {type: openai, preset: vllm}
                  p4: {type: openai, preset: vllm}
                  p5: {type: openai, preset: vllm}
                models:
                  m:
                    targets:
                      - {provider: p1, model: x, weight: 2}
                      - {provider: p2, model: x, weight: 3}
                      - {provider: p3, model: x, weight: 1}
                      - {provider: p4, model: x, weight: 1}
                      - {provider: p5, model: x, weight: 4}
                """);
        HealthTracker health = health(config);
        // p5 failed until its circuit opened, then its probe succeeded just now: the ramp starts at 0.1
        Target p5 = target(config, "p5", "x");
        for (int i = 0; i < 5; i++) {
            health.onFailure(p5, ErrorKind.SERVER, Optional.empty());
        }
        clock.advance(Duration.ofSeconds(7));
        assertTrue(health.target(p5).tryAcquire(clock.nanos()));
        health.onSuccess(p5, 100 * MS);
        // p1: fastest (100 ms), healthy
        health.onSuccess(target(config, "p1", "x"), 100 * MS);
        // p2: 400 ms, 2 failures in 10 attempts (min-requests 10): health (1 - 0.2)^2 = 0.64
        Target p2 = target(config, "p2", "x");
        for (int i = 0; i < 8; i++) {
            health.onSuccess(p2, 400 * MS);
        }
        health.onFailure(p2, ErrorKind.SERVER, Optional.empty());
        health.onFailure(p2, ErrorKind.TIMEOUT, Optional.empty());
        // p3: 2 s, twenty times the fastest: its latency factor is clamped to 0.1
        health.onSuccess(target(config, "p3", "x"), 2_000 * MS);
        // p4: never measured: latency factor 1
        RoutePlan plan = router(config, health, 15).plan("m", PLAIN);
        Map<String, Double> effective = new HashMap<>();
        plan.explanation().forEach(planned -> effective.put(planned.target().providerId(), planned.effectiveWeight()));
        assertEquals(2 * 1.0 * 1.0, effective.get("p1"), 1e-12);
        assertEquals(3 * 0.64 * 0.25, effective.get("p2"), 1e-12);
        assertEquals(1 * 1.0 * 0.1, effective.get("p3"), 1e-12);
        assertEquals(1 * 1.0 * 1.0, effective.get("p4"), 1e-12);
        assertEquals(4 * 0.1 * 1.0, effective.get("p5"), 1e-12);
        assertEquals(5, plan.targets().size());
        RoutePlan.PlannedTarget second = plan.explanation().stream()
                .filter(planned -> planned.target().providerId().equals("p2")).findFirst().orElseThrow();
        assertEquals(new HealthSnapshot(CircuitState.CLOSED, 0, 10, 2, 2, 400.0 * MS, 0, ""), second.health());
        // halfway through the recovery (30 s) p5's ramp is at 0.55
        clock.advance(Duration.ofSeconds(15));
        RoutePlan later = router(config, health, 15).plan("m", PLAIN);
        later.explanation().stream().filter(planned -> planned.target().providerId().equals("p5")).findFirst()
                .ifPresentOrElse(planned -> assertEquals(4 * 0.55, planned.effectiveWeight(), 1e-12),
                        () -> assertTrue(false, "p5 is planned"));
    }

    @Test
    void theStrategyOrdersEachTier() {
        GatewayConfig config = load("""
                providers:
                  a: {type: openai, preset: vllm}
                  b: {type: openai, preset: vllm}
                  c: {type: openai, preset: vllm}
                models:
                  ordered:
                    strategy: priority
                    targets:
                      - {provider: c, model: x, weight: 1}
                      - {provider: a, model: x, weight: 100}
                      - {provider: b, model: x, weight: 100, priority: 1}
                  busy:
                    strategy: least-busy
                    targets:
                      - {provider: a, model: x}
                      - {provider: b, model: x}
                      - {provider: c, model: x}
                """);
        HealthTracker health = health(config);
        for (long seed = 0; seed < 20; seed++) {
            assertEquals(List.of("c/x", "a/x", "b/x"), router(config, health, seed).plan("ordered", PLAIN).targets()
                    .stream().map(Target::label).toList());
        }
        health.target(target(config, "a", "x")).inFlight().set(3);
        health.target(target(config, "c", "x")).inFlight().set(1);
        assertEquals(List.of("b/x", "c/x", "a/x"), router(config, health, 1).plan("busy", PLAIN).targets()
                .stream().map(Target::label).toList());
    }

    @Test
    void aResponseHeldUpstreamKeepsOnlyTargetsThatServeTheResponsesApi() {
        GatewayConfig config = load("""
                providers:
                  openai: {type: openai, api-key: sk-test-0123456789abcdef}
                  local: {type: openai, preset: vllm}
                  gateway: {type: openai, preset: vllm, responses-api: true}
                models:
                  m:
                    strategy: priority
                    targets:
                      - {provider: local, model: a}
                      - {provider: openai, model: b}
                      - {provider: gateway, model: c}
                """);
        RoutePlan plan = router(config, 4).plan("m", PLAIN.withUpstreamState());
        assertEquals(List.of("openai/b", "gateway/c"), plan.targets().stream().map(Target::label).toList());
        assertEquals("skipped: lacks responses-api (the previous response is held upstream)",
                verdicts(plan).get("m:local/a"));
        assertEquals(3, router(config, 4).plan("m", PLAIN).targets().size(), "any target serves other requests");
    }
}
