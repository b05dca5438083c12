package ai.higress.config;

import java.math.BigDecimal;
import java.math.MathContext;

import io.helidon.config.Config;

/**
 * What one provider model costs, in US dollars per million tokens.
 *
 * @param inputPerMillion  uncached prompt tokens
 * @param outputPerMillion completion tokens
 * @param cachedPerMillion cached prompt tokens
 */
public record ModelPricing(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedPerMillion) {
    public static final ModelPricing FREE = new ModelPricing(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    /** The cost of one request's usage; cached tokens are part of the prompt tokens, as providers report them. */
    public BigDecimal cost(long promptTokens, long completionTokens, long cachedTokens) {
        long cached = Math.min(cachedTokens, promptTokens);
        BigDecimal total = inputPerMillion.multiply(BigDecimal.valueOf(promptTokens - cached))
                .add(cachedPerMillion.multiply(BigDecimal.valueOf(cached)))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(completionTokens)));
        return total.divide(MILLION, MathContext.DECIMAL64);
    }

    static ModelPricing create(Config node) {
        BigDecimal input = price(node.get("input-price"));
        return new ModelPricing(input, price(node.get("output-price")),
                node.get("cached-price").exists() ? price(node.get("cached-price")) : input);
    }

    private static BigDecimal price(Config node) {
        if (!node.exists()) {
            return BigDecimal.ZERO;
        }
        String text = Nodes.requiredString(node);
        try {
            BigDecimal value = new BigDecimal(text);
            if (value.signum() < 0) {
                throw new ConfigException(Nodes.key(node), "must not be negative, was " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(Nodes.key(node), "expected a price in US dollars per million tokens, was '"
                    + text + "'");
        }
    }
}
