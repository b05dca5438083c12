package ai.higress.usage;

import java.math.BigDecimal;
import java.util.Set;
import java.util.function.BiFunction;

import ai.higress.auth.SpendLedger;
import ai.higress.config.ModelPricing;
import ai.higress.observe.AttemptRecord;
import ai.higress.observe.Exchange;
import ai.higress.observe.Outcome;
import ai.higress.observe.RequestObserver;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns every finished model request into a {@link UsageRecord} with its cost, hands it to the recorder and charges
 * the cost to the caller's key. Requests that never named a model (health, metrics, admin) are not recorded.
 */
public final class UsageCollector implements RequestObserver.Hook {
    /** The routes whose requests reach a model, and so are logged and charged, failed ones included. */
    private static final Set<String> MODEL_ROUTES = Set.of("chat.completions", "messages", "responses", "embeddings",
            "gemini");

    private final UsageRecorder recorder;
    private final SpendLedger spend;
    private final BiFunction<String, String, ModelPricing> pricing;

    /**
     * @param pricing the price of (provider id, upstream model)
     */
    public UsageCollector(UsageRecorder recorder, SpendLedger spend, BiFunction<String, String, ModelPricing> pricing) {
        this.recorder = recorder;
        this.spend = spend;
        this.pricing = pricing;
    }

    @Override
    public void finished(Exchange exchange, int status, Outcome outcome, long durationNanos) {
        if (exchange.callerKeyId().isEmpty() || !MODEL_ROUTES.contains(exchange.route())) {
            return;
        }
        Usage usage = exchange.usage().orElse(new Usage(0, 0, 0, 0, 0));
        BigDecimal cost = exchange.providerTag().isEmpty() ? BigDecimal.ZERO
                : pricing.apply(exchange.providerTag(), exchange.upstreamModel())
                        .cost(usage.promptTokens(), usage.completionTokens(), usage.cachedTokens());
        spend.add(exchange.callerKeyId(), cost);
        recorder.record(new UsageRecord(exchange.requestId(), exchange.startedAt(), exchange.callerKeyId(),
                exchange.route(), exchange.modelTag(), exchange.providerTag(), exchange.upstreamModel(),
                exchange.stream(), status, outcome.tag(), exchange.errorCode(), durationNanos / 1_000_000,
                exchange.firstTokenNanos() == 0 ? -1 : exchange.firstTokenNanos() / 1_000_000,
                usage.promptTokens(), usage.completionTokens(), usage.cachedTokens(), cost, attempts(exchange)));
    }

    private static ArrayNode attempts(Exchange exchange) {
        ArrayNode attempts = Json.MAPPER.createArrayNode();
        for (AttemptRecord attempt : exchange.attempts()) {
            ObjectNode node = attempts.addObject();
            node.put("provider", attempt.provider());
            node.put("model", attempt.upstreamModel());
            node.put("key", attempt.keyId());
            node.put("status", attempt.status());
            node.put("outcome", attempt.outcome());
            node.put("hedge", attempt.hedge());
            node.put("ms", attempt.durationNanos() / 1_000_000);
            if (attempt.firstTokenNanos() > 0) {
                node.put("ttft_ms", attempt.firstTokenNanos() / 1_000_000);
            }
        }
        return attempts;
    }
}
