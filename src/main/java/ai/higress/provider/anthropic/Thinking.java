package ai.higress.provider.anthropic;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code reasoning_effort} as Anthropic extended thinking with a token budget, and the {@code max_tokens} that goes
 * with it. Both APIs count reasoning inside the output limit, so a client's {@code max_completion_tokens} (or
 * {@code max_tokens}) is sent as is and the budget takes at most half of it (at least Anthropic's minimum of 1024);
 * without a client limit the budget is added to the provider's {@code default-max-tokens}, so the answer keeps the
 * room it would have had without thinking. {@code none} turns thinking off.
 *
 * @param maxTokens the {@code max_tokens} to send
 * @param budget    the thinking budget, 0 when thinking is off
 */
record Thinking(long maxTokens, long budget) {
    static final long MIN_BUDGET = 1024;
    private static final Map<String, Long> BUDGETS = Map.of("minimal", 1024L, "low", 2048L, "medium", 8192L,
            "high", 16_384L, "xhigh", 24_576L, "max", 32_768L);

    static Thinking of(ObjectNode canonical, int defaultMaxTokens) {
        long limit = clientLimit(canonical);
        JsonNode effort = canonical.get("reasoning_effort");
        if (effort == null || effort.isNull() || effort.asText().equals("none")) {
            return new Thinking(limit > 0 ? limit : defaultMaxTokens, 0);
        }
        Long wanted = BUDGETS.get(effort.asText());
        if (wanted == null) {
            throw Refusals.value("reasoning_effort", "'" + effort.asText() + "' is not a known effort (none, "
                    + "minimal, low, medium, high, xhigh, max)");
        }
        if (limit <= 0) {
            return new Thinking(defaultMaxTokens + wanted, wanted);
        }
        long budget = Math.max(MIN_BUDGET, Math.min(wanted, limit / 2));
        if (budget >= limit) {
            throw Refusals.value("reasoning_effort", "needs 'max_completion_tokens' above " + MIN_BUDGET + " with "
                    + "Anthropic models (the thinking budget is at least " + MIN_BUDGET + " tokens and counts "
                    + "against the limit)");
        }
        return new Thinking(limit, budget);
    }

    /** {@code max_completion_tokens}, else the deprecated {@code max_tokens}; 0 when neither is set. */
    private static long clientLimit(ObjectNode canonical) {
        for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
            JsonNode value = canonical.get(field);
            if (value != null && value.isNumber()) {
                if (value.asLong() < 1) {
                    throw Refusals.invalid(field, "Anthropic models need an output limit of at least 1");
                }
                return value.asLong();
            }
        }
        return 0;
    }

    boolean enabled() {
        return budget > 0;
    }

    void apply(ObjectNode out) {
        if (enabled()) {
            out.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
        }
    }

    /**
     * Refuses thinking in the middle of a tool loop. Anthropic then wants the previous assistant turn's signed
     * thinking blocks back, which an OpenAI chat history cannot carry, and would reject the request anyway.
     */
    void checkToolLoop(ArrayNode turns) {
        if (!enabled() || turns.isEmpty()) {
            return;
        }
        JsonNode last = turns.get(turns.size() - 1);
        boolean answersTools = "user".equals(last.path("role").asText())
                && "tool_result".equals(last.path("content").path(0).path("type").asText());
        if (answersTools) {
            throw Refusals.value("reasoning_effort", "cannot be used on a turn that returns tool results to an "
                    + "Anthropic model: it needs the signed thinking of the previous turn, which OpenAI chat "
                    + "messages cannot carry; send this turn without 'reasoning_effort'");
        }
    }
}
