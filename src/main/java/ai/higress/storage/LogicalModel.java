package ai.higress.storage;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A logical model as stored: the {@code logical_models} row and its ordered {@code model_targets}.
 *
 * @param name      the name clients send as {@code model}
 * @param strategy  how healthy targets are ordered, in its config spelling (e.g. {@code weighted})
 * @param fallbacks other logical models tried after this one's targets, in order
 * @param hedge     the hedging settings, as JSON
 * @param source    configuration file or admin API
 * @param targets   where it can be served, in order (the list index is the stored position)
 */
public record LogicalModel(String name, String strategy, List<String> fallbacks, JsonNode hedge, Source source,
                           List<ModelTarget> targets) {
    public LogicalModel {
        fallbacks = List.copyOf(fallbacks);
        targets = List.copyOf(targets);
    }
}
