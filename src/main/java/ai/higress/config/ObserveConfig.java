package ai.higress.config;

import io.helidon.config.Config;

/**
 * Observability switches. JFR events need no switch: they cost nothing unless a recording is running.
 *
 * @param accessLog write one access-log line per request (logger {@code ai.higress.access})
 */
public record ObserveConfig(boolean accessLog) {

    static ObserveConfig create(Config node) {
        return new ObserveConfig(Nodes.bool(node.get("access-log"), true));
    }
}
