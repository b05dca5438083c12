package ai.higress.routing;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import ai.higress.config.GatewayConfig;
import ai.higress.config.ProviderConfig;
import ai.higress.upstream.UpstreamClient;

/**
 * Holds the current {@link RoutingTable} and swaps in a new one when the configuration changes. Upstream clients of
 * providers whose configuration did not change are kept (with their warm connections); clients of removed or changed
 * providers are closed once requests that may still use them have had time to finish. Health is kept across swaps, so
 * a change does not forget that a target is failing.
 */
public final class RoutingTables implements AutoCloseable {
    private final HealthTracker health;
    private final Supplier<RandomGenerator> random;
    private final Duration retireAfter;
    private final AtomicReference<RoutingTable> current = new AtomicReference<>();
    private final ReentrantLock swapping = new ReentrantLock();

    public RoutingTables(HealthTracker health, Supplier<RandomGenerator> random, Duration retireAfter) {
        this.health = health;
        this.random = random;
        this.retireAfter = retireAfter;
    }

    public RoutingTable current() {
        RoutingTable table = current.get();
        if (table == null) {
            throw new IllegalStateException("no routing table applied yet");
        }
        return table;
    }

    /** Builds and installs the table for {@code config}; returns it. */
    public RoutingTable apply(GatewayConfig config, long version) {
        swapping.lock();
        try {
            RoutingTable previous = current.get();
            Map<String, UpstreamClient> clients = new HashMap<>();
            Map<String, UpstreamClient> retired = new HashMap<>();
            for (ProviderConfig provider : config.providers().values()) {
                UpstreamClient existing = previous == null ? null : previous.clients().get(provider.id());
                clients.put(provider.id(), existing != null && existing.provider().equals(provider)
                        ? existing : UpstreamClient.create(provider));
            }
            if (previous != null) {
                previous.clients().forEach((id, client) -> {
                    if (clients.get(id) != client) {
                        retired.put(id, client);
                    }
                });
            }
            RoutingTable table = new RoutingTable(config, new Router(config, health, random), clients, version);
            current.set(table);
            retire(retired);
            return table;
        } finally {
            swapping.unlock();
        }
    }

    private void retire(Map<String, UpstreamClient> retired) {
        if (retired.isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("retire-upstream-clients").start(() -> {
            try {
                Thread.sleep(retireAfter);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            retired.values().forEach(UpstreamClient::close);
        });
    }

    @Override
    public void close() {
        RoutingTable table = current.getAndSet(null);
        if (table != null) {
            table.clients().values().forEach(UpstreamClient::close);
        }
    }
}
