package ai.higress.routing;

import java.util.List;

import ai.higress.provider.Target;

/**
 * The ordered targets for one request.
 *
 * @param alias   the model as a low-cardinality name: the logical model, or {@code provider/model}
 * @param targets targets in the order they are tried
 */
public record RoutePlan(String alias, List<Target> targets) {

    public RoutePlan {
        targets = List.copyOf(targets);
    }
}
