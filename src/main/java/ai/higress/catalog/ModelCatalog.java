package ai.higress.catalog;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import ai.higress.config.CatalogConfig;
import ai.higress.config.PathStyle;
import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderType;
import ai.higress.redis.RedisScript;
import ai.higress.redis.RedisStore;
import ai.higress.routing.ModelEntry;
import ai.higress.routing.RoutingTable;
import ai.higress.schema.Json;
import ai.higress.upstream.UpstreamClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The model catalog behind {@code /v1/models}: the configured ids (logical models, then each provider's listed
 * models) followed by what each provider's own {@code GET <base-url>/models} lists (OpenAI's {@code data[].id}, or
 * Gemini's paged {@code models[].name}), as {@code provider/model}, without duplicates. One background virtual thread
 * refreshes the discovered lists every {@code catalog.refresh-interval} (stale-while-revalidate: requests only ever
 * read the cache). With Redis the lists live in {@code higress:catalog}
 * (a TTL of a few intervals), so every replica serves the same catalog and a replica skips its own refresh while the
 * shared copy is fresh; without Redis they are kept in process. A provider whose fetch fails keeps its last good list.
 */
public final class ModelCatalog implements AutoCloseable {
    static final String KEY = "higress:catalog";
    private static final System.Logger LOGGER = System.getLogger(ModelCatalog.class.getName());
    private static final RedisScript GET = RedisScript.resource(ModelCatalog.class, "get.lua");
    private static final RedisScript SET = RedisScript.resource(ModelCatalog.class, "set.lua");
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(15);
    private static final int TTL_INTERVALS = 3;
    /** Anthropic lists 20 models a page unless asked for more (1000 at most); this bounds a looping cursor. */
    private static final int MAX_PAGES = 20;

    private final CatalogConfig config;
    private final Supplier<RoutingTable> tables;
    private final Optional<RedisStore> redis;
    private final CatalogListener listener;
    private final Clock clock;
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile Snapshot local = Snapshot.EMPTY;
    private volatile boolean closed;
    private Thread refresher;

    public ModelCatalog(CatalogConfig config, Supplier<RoutingTable> tables, Optional<RedisStore> redis,
                        CatalogListener listener, Clock clock) {
        this.config = config;
        this.tables = tables;
        this.redis = redis;
        this.listener = listener;
        this.clock = clock;
    }

    /** Starts the background refresh (nothing when discovery is off). */
    public ModelCatalog start() {
        if (config.discover()) {
            refresher = Thread.ofVirtual().name("model-catalog-refresh").start(this::refreshLoop);
        }
        return this;
    }

    /** Every id a client can use, configured ones first; never calls an upstream. */
    public List<ModelEntry> entries() {
        RoutingTable table = tables.get();
        List<ModelEntry> entries = new ArrayList<>(table.router().catalog());
        Set<String> seen = new HashSet<>();
        entries.forEach(entry -> seen.add(entry.id()));
        Snapshot snapshot = current();
        for (ProviderConfig provider : table.config().providers().values()) {
            for (String model : snapshot.providers().getOrDefault(provider.id(), List.of())) {
                String id = provider.id() + "/" + model;
                if (!provider.hidden(model) && seen.add(id)) {
                    entries.add(new ModelEntry(id, provider.id()));
                }
            }
        }
        return entries;
    }

    /**
     * Fetches every discoverable provider's list now and publishes the merged result.
     *
     * @return per provider id: the number of models it now contributes and whether this fetch succeeded
     */
    public Map<String, ProviderResult> refresh() {
        refreshing.lock();
        try {
            Snapshot previous = current();
            Map<String, List<String>> lists = new LinkedHashMap<>();
            Map<String, ProviderResult> results = new LinkedHashMap<>();
            RoutingTable table = tables.get();
            for (ProviderConfig provider : table.config().providers().values()) {
                if (!discoverable(provider)) {
                    continue;
                }
                UpstreamClient client = table.clients().get(provider.id());
                try {
                    List<String> models = fetch(provider, client);
                    lists.put(provider.id(), models);
                    results.put(provider.id(), new ProviderResult(models.size(), true, ""));
                } catch (RuntimeException e) {
                    List<String> kept = previous.providers().getOrDefault(provider.id(), List.of());
                    lists.put(provider.id(), kept);
                    results.put(provider.id(), new ProviderResult(kept.size(), false, e.getMessage()));
                    listener.fetchFailed(provider.id());
                    LOGGER.log(System.Logger.Level.WARNING, "model list of provider ''{0}'' not refreshed, keeping "
                            + "{1} previously discovered models: {2}", provider.id(), kept.size(), e.getMessage());
                }
            }
            Snapshot next = new Snapshot(clock.millis(), lists);
            local = next;
            redis.ifPresent(store -> {
                try {
                    store.eval(SET, List.of(KEY), List.of(next.json(),
                            Long.toString(config.refreshInterval().toMillis() * TTL_INTERVALS)));
                } catch (RuntimeException e) {
                    listener.storeError("write");
                    LOGGER.log(System.Logger.Level.WARNING, "model catalog not written to Redis: " + e.getMessage());
                }
            });
            return results;
        } finally {
            refreshing.unlock();
        }
    }

    /** The provider's own list, in the shape its protocol serves it. */
    private static List<String> fetch(ProviderConfig provider, UpstreamClient client) {
        return switch (provider.type()) {
            case GEMINI -> GeminiModelList.fetch(client, FETCH_TIMEOUT);
            case ANTHROPIC -> anthropicModels(client);
            case OPENAI -> parse(client.get("/models", FETCH_TIMEOUT));
        };
    }

    private boolean discoverable(ProviderConfig provider) {
        // Azure deployments have no OpenAI-style model list under the deployment base URL
        return config.discovers(provider.id()) && provider.pathStyle() != PathStyle.AZURE_DEPLOYMENT;
    }

    /** The shared copy when Redis has one, else the in-process one. */
    private Snapshot current() {
        if (redis.isPresent()) {
            try {
                Object value = redis.get().eval(GET, List.of(KEY), List.of());
                if (value instanceof String text) {
                    Snapshot shared = Snapshot.parse(text);
                    local = shared;
                    return shared;
                }
            } catch (RuntimeException e) {
                listener.storeError("read");
                LOGGER.log(System.Logger.Level.DEBUG, "model catalog not read from Redis", e);
            }
        }
        return local;
    }

    private void refreshLoop() {
        long interval = config.refreshInterval().toMillis();
        while (!closed) {
            long wait = interval;
            try {
                long age = clock.millis() - current().refreshedAt();
                if (age >= interval) {
                    refresh();
                } else {
                    wait = interval - age;
                }
            } catch (RuntimeException e) {
                LOGGER.log(System.Logger.Level.WARNING, "model catalog refresh failed", e);
            }
            try {
                Thread.sleep(Math.max(wait, 1000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Anthropic's list, paged by {@code after_id} (OpenAI-style lists come whole). */
    private static List<String> anthropicModels(UpstreamClient client) {
        Set<String> ids = new LinkedHashSet<>();
        String path = "/models?limit=1000";
        for (int page = 0; page < MAX_PAGES; page++) {
            byte[] body = client.get(path, FETCH_TIMEOUT);
            ids.addAll(parse(body));
            Optional<String> after = nextPage(body);
            if (after.isEmpty()) {
                break;
            }
            path = "/models?limit=1000&after_id=" + URLEncoder.encode(after.get(), StandardCharsets.UTF_8);
        }
        return List.copyOf(ids);
    }

    /** The cursor of the next page: Anthropic's {@code last_id} while {@code has_more} is true. */
    static Optional<String> nextPage(byte[] body) {
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            String last = root.path("last_id").asText("");
            return root.path("has_more").asBoolean(false) && !last.isBlank() ? Optional.of(last) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    static List<String> parse(byte[] body) {
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            Set<String> ids = new LinkedHashSet<>();
            for (JsonNode item : root.path("data")) {
                String id = item.path("id").asText("");
                if (!id.isBlank()) {
                    ids.add(id);
                }
            }
            if (!root.path("data").isArray()) {
                throw new IllegalArgumentException("the model list has no 'data' array");
            }
            return List.copyOf(ids);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the model list is not JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (refresher != null) {
            refresher.interrupt();
        }
    }

    /**
     * One provider's part of a refresh.
     *
     * @param models  models it contributes now
     * @param fetched whether this refresh fetched its list (false: the last good list was kept)
     * @param error   why the fetch failed (empty when it did not)
     */
    public record ProviderResult(int models, boolean fetched, String error) {
    }

    /** Discovered model names by provider id, and when they were fetched (epoch millis; 0 = never). */
    record Snapshot(long refreshedAt, Map<String, List<String>> providers) {
        static final Snapshot EMPTY = new Snapshot(0, Map.of());

        String json() {
            ObjectNode root = Json.object();
            root.put("refreshed_at", refreshedAt);
            ObjectNode lists = root.putObject("providers");
            providers.forEach((id, models) -> models.forEach(lists.withArray(id)::add));
            return Json.text(root);
        }

        static Snapshot parse(String text) {
            try {
                JsonNode root = Json.MAPPER.readTree(text);
                Map<String, List<String>> providers = new LinkedHashMap<>();
                root.path("providers").properties().forEach(entry -> {
                    List<String> models = new ArrayList<>();
                    entry.getValue().forEach(model -> models.add(model.asText()));
                    providers.put(entry.getKey(), List.copyOf(models));
                });
                return new Snapshot(root.path("refreshed_at").asLong(0), providers);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("unreadable model catalog in Redis: " + e.getMessage(), e);
            }
        }
    }
}
