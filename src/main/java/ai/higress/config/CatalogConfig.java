package ai.higress.config;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import io.helidon.config.Config;

/**
 * Model catalog aggregation: providers' own model lists merged into {@code /v1/models}.
 *
 * @param discover        whether providers' {@code GET <base-url>/models} lists are fetched at all
 * @param refreshInterval how often the background refresh runs (the Redis copy lives a few intervals)
 * @param optedOut        provider ids with {@code providers.<id>.discover-models: false}
 */
public record CatalogConfig(boolean discover, Duration refreshInterval, Set<String> optedOut) {
    public static final CatalogConfig DEFAULTS = new CatalogConfig(true, Duration.ofMinutes(5), Set.of());

    public CatalogConfig {
        optedOut = Set.copyOf(optedOut);
    }

    public static CatalogConfig create(Config node, Config providers) {
        Duration interval = Nodes.duration(node.get("refresh-interval"), DEFAULTS.refreshInterval());
        if (interval.toSeconds() < 1 || interval.compareTo(Duration.ofDays(1)) > 0) {
            throw new ConfigException(Nodes.key(node.get("refresh-interval")), "must be between 1 second and 1 day");
        }
        Set<String> optedOut = new LinkedHashSet<>();
        Nodes.namedEntries(providers).forEach((id, provider) -> {
            if (!Nodes.bool(provider.get("discover-models"), true)) {
                optedOut.add(id);
            }
        });
        return new CatalogConfig(Nodes.bool(node.get("discover"), DEFAULTS.discover()), interval, optedOut);
    }

    /** These settings with providers {@code ids} opted out as well. */
    public CatalogConfig optingOut(Collection<String> ids) {
        Set<String> more = new LinkedHashSet<>(optedOut);
        more.addAll(ids);
        return new CatalogConfig(discover, refreshInterval, more);
    }

    /** Whether provider {@code id}'s own list is fetched. */
    public boolean discovers(String id) {
        return discover && !optedOut.contains(id);
    }
}
