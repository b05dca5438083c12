package ai.higress.storage;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * One catalog entry (the {@code provider_models} table): a model a provider serves, what it can do and what it costs.
 * Prices are US dollars per million tokens.
 *
 * @param providerId         the provider
 * @param model              the upstream model name
 * @param tools              function/tool calling
 * @param vision             image inputs
 * @param jsonMode           JSON response formats
 * @param streaming          server-sent events
 * @param reasoning          accepts reasoning requests ({@code reasoning_effort})
 * @param embeddings         an embedding model (serves embeddings, never chat)
 * @param contextWindow      the context window in tokens, when known
 * @param inputPricePerMtok  price of a million prompt tokens
 * @param outputPricePerMtok price of a million completion tokens
 * @param cachedPricePerMtok price of a million cached prompt tokens
 */
public record ProviderModel(String providerId, String model, boolean tools, boolean vision, boolean jsonMode,
                            boolean streaming, boolean reasoning, boolean embeddings,
                            Optional<Integer> contextWindow,
                            BigDecimal inputPricePerMtok, BigDecimal outputPricePerMtok,
                            BigDecimal cachedPricePerMtok) {
    public ProviderModel {
        inputPricePerMtok = Rows.money(inputPricePerMtok);
        outputPricePerMtok = Rows.money(outputPricePerMtok);
        cachedPricePerMtok = Rows.money(cachedPricePerMtok);
    }
}
