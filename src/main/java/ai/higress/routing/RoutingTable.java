package ai.higress.routing;

import java.util.Map;

import ai.higress.config.GatewayConfig;
import ai.higress.upstream.UpstreamClient;

/**
 * One consistent view of what the gateway routes to: the effective configuration (file and database entities), the
 * router built from it, and an upstream client per provider. Replaced as a whole when the configuration changes, so a
 * request always sees one version from start to end.
 *
 * @param config  the effective configuration
 * @param router  plans over it
 * @param clients the upstream client of each provider id
 * @param version the control-plane version it was built from (0 without a database)
 */
public record RoutingTable(GatewayConfig config, Router router, Map<String, UpstreamClient> clients, long version) {

    public RoutingTable {
        clients = Map.copyOf(clients);
    }
}
