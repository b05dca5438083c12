package ai.higress;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

import ai.higress.admin.AdminApi;
import ai.higress.admin.ControlPlane;
import ai.higress.admin.Repositories;
import ai.higress.api.ApiRouting;
import ai.higress.auth.ApiKeyAuthenticator;
import ai.higress.concurrency.ConcurrencyCaps;
import ai.higress.auth.KeyHasher;
import ai.higress.auth.SecretBox;
import ai.higress.auth.ServerSecret;
import ai.higress.auth.SpendLedger;
import ai.higress.config.AdminConfig;
import ai.higress.config.ApiKeyConfig;
import ai.higress.config.AuthConfig;
import ai.higress.config.ConfigException;
import ai.higress.config.GatewayConfig;
import ai.higress.config.ModelPricing;
import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderType;
import ai.higress.config.Secret;
import ai.higress.gemini.GeminiClientCodec;
import ai.higress.messages.AnthropicMessagesCodec;
import ai.higress.mock.MockUpstream;
import ai.higress.observe.GatewayMetrics;
import ai.higress.observe.RequestObserver;
import ai.higress.provider.ClientCodecs;
import ai.higress.provider.anthropic.AnthropicAdapter;
import ai.higress.provider.gemini.GeminiAdapter;
import ai.higress.provider.gemini.GeminiEmbeddingsAdapter;
import ai.higress.provider.openai.OpenAiAdapter;
import ai.higress.provider.openai.OpenAiEmbeddingsAdapter;
import ai.higress.responses.ResponsesCodec;
import ai.higress.routing.ChatDispatcher;
import ai.higress.routing.EmbeddingsAdapters;
import ai.higress.routing.EmbeddingsDispatcher;
import ai.higress.schema.WireProtocol;
import ai.higress.routing.Failover;
import ai.higress.routing.HealthTracker;
import ai.higress.routing.ProviderAdapters;
import ai.higress.routing.RetryBudget;
import ai.higress.routing.RoutingTables;
import ai.higress.routing.Ticker;
import ai.higress.storage.Database;
import ai.higress.storage.StorageException;
import ai.higress.upstream.Watchdog;
import ai.higress.usage.RequestLogSink;
import ai.higress.usage.UsageCollector;
import ai.higress.usage.UsageRecorder;

import io.helidon.common.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.health.HealthObserverConfig;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/**
 * The composition root: builds every component from the typed configuration, wires the routes and owns the
 * lifecycle. Nothing else constructs long-lived components.
 */
public final class Gateway implements AutoCloseable {
    private static final String KEY_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final GatewayConfig config;
    private final Optional<MockUpstream> demo;
    private final Database database;
    private final Watchdog watchdog = new Watchdog();
    private final ApiKeyAuthenticator authenticator;
    private final RoutingTables tables;
    private final ChatDispatcher dispatcher;
    private final EmbeddingsDispatcher embeddings;
    private final ControlPlane controlPlane;
    private final UsageRecorder recorder;
    private final RequestObserver observer;
    private final AdminApi adminApi;
    private final SharedState shared;
    private final java.time.Instant startedAt;
    private volatile boolean ready;
    private WebServer server;

    private Gateway(GatewayConfig config, byte[] serverSecret, Optional<MockUpstream> demo, Database database,
                    MeterRegistry registry, Clock clock) {
        this.config = config;
        this.demo = demo;
        this.database = database;
        this.startedAt = clock.instant();
        Repositories repositories = Repositories.create(database, clock);
        SpendLedger spend = new SpendLedger();
        KeyHasher hasher = new KeyHasher(serverSecret);
        SecretBox box = new SecretBox(serverSecret);
        this.authenticator = new ApiKeyAuthenticator(hasher, config.auth().apiKeys(), clock, spend);
        GatewayMetrics metrics = new GatewayMetrics(registry);
        HealthTracker health = new HealthTracker(config.routing().health(), Ticker.SYSTEM, SplittableRandom::new,
                metrics.routingListener());
        this.tables = new RoutingTables(health, ThreadLocalRandom::current, config.timeouts().stream());
        this.shared = SharedState.create(config, metrics, health, tables::current, clock);
        Failover failover = failover(config, health, metrics, shared.caps());
        this.dispatcher = new ChatDispatcher(tables, failover, chatAdapters(clock), clientCodecs(clock), watchdog,
                config.limits(), config.timeouts());
        this.embeddings = new EmbeddingsDispatcher(tables, failover, embeddingsAdapters(clock), watchdog,
                config.limits(), config.timeouts());
        this.controlPlane = new ControlPlane(config, repositories, box, tables, authenticator, spend);
        this.recorder = new UsageRecorder(config.usage(), new RequestLogSink(repositories.requests()),
                metrics.usageListener());
        this.observer = new RequestObserver(config.observe(), metrics,
                new UsageCollector(recorder, spend, this::pricing));
        this.adminApi = new AdminApi(config.admin(), repositories, controlPlane, hasher, box, spend, dispatcher,
                health, clock, shared.catalog(), shared.sessions());
        try {
            controlPlane.start();
            // the catalog's first refresh reads the tables the control plane has just applied
            shared.catalog().start();
        } catch (RuntimeException e) {
            // create() closes the database and the demo upstream; what this constructor started is closed here
            closeComponents();
            throw e;
        }
    }

    private static Failover failover(GatewayConfig config, HealthTracker health, GatewayMetrics metrics,
                                     ConcurrencyCaps caps) {
        return new Failover(config.limits().maxAttempts(), health,
                new RetryBudget(config.routing().retry(), Ticker.SYSTEM), config.routing().retry(),
                ThreadLocalRandom::current, metrics.routingListener(), caps);
    }

    /** The upstream side of the protocol seam: one adapter per provider type. */
    private static ProviderAdapters chatAdapters(Clock clock) {
        return new ProviderAdapters(Map.of(ProviderType.OPENAI, new OpenAiAdapter(clock),
                ProviderType.ANTHROPIC, new AnthropicAdapter(clock),
                ProviderType.GEMINI, new GeminiAdapter(clock)));
    }

    /** The client side of the protocol seam: one codec per ingress dialect other than canonical OpenAI chat. */
    private static ClientCodecs clientCodecs(Clock clock) {
        return new ClientCodecs(Map.of(WireProtocol.ANTHROPIC_MESSAGES, new AnthropicMessagesCodec(),
                WireProtocol.GEMINI, new GeminiClientCodec(),
                WireProtocol.OPENAI_RESPONSES, new ResponsesCodec(clock, ResponsesCodec.randomIds())));
    }

    private static EmbeddingsAdapters embeddingsAdapters(Clock clock) {
        return new EmbeddingsAdapters(Map.of(
                ProviderType.OPENAI, new OpenAiEmbeddingsAdapter(clock),
                ProviderType.GEMINI, new GeminiEmbeddingsAdapter(clock)));
    }

    /**
     * Builds a gateway: opens (and, when configured, migrates) the database, starts the demo upstream when it is
     * enabled, and generates a client key when none is configured (printed once to {@code console}).
     *
     * @throws ConfigException when the configuration, the server secret or the database is unusable
     */
    public static Gateway create(GatewayConfig config, GatewayEnvironment environment, MeterRegistry registry,
                                 PrintStream console) {
        GatewayConfig effective = withKeys(config, environment.apiKey(), console);
        if (environment.adminToken().isPresent()) {
            effective = effective.withAdmin(new AdminConfig(Optional.of(Secret.of(environment.adminToken().get()))));
        }
        byte[] serverSecret = ServerSecret.load(environment.secretKey(), environment.dataDir().resolve("secret.key"),
                effective.database().isEmbeddedH2());
        Database database = openDatabase(effective);
        Optional<DemoProvider.Started> demo;
        try {
            demo = DemoProvider.startIfEnabled(effective);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        if (demo.isPresent()) {
            effective = demo.get().config();
        }
        try {
            return new Gateway(effective, serverSecret, demo.map(DemoProvider.Started::mock), database, registry,
                    Clock.systemUTC());
        } catch (RuntimeException e) {
            demo.ifPresent(started -> started.mock().close());
            database.close();
            throw e;
        }
    }

    /** Opens the database and applies the migrations when {@code database.auto-migrate} says so. */
    static Database openDatabase(GatewayConfig config) {
        Database database;
        try {
            database = Database.create(config.database());
        } catch (StorageException e) {
            throw new ConfigException("database.url", e.getMessage());
        }
        try {
            if (config.database().autoMigrate()) {
                database.migrate();
            } else if (database.pendingMigrations() > 0) {
                throw new ConfigException("database.auto-migrate", "the database schema is not up to date: run "
                        + "`java -jar ai-higress-gateway.jar migrate` (or set ENABLE_AUTO_MIGRATION=true)");
            }
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** Adds the routes, filters and observability endpoints to a server under construction. */
    public void configure(WebServerConfig.Builder server) {
        HealthObserverConfig.Builder health = HealthObserver.builder()
                .details(true)
                .addCheck(() -> HealthCheckResponse.builder().status(ready).build(),
                        HealthCheckType.READINESS, "gateway")
                .addCheck(() -> HealthCheckResponse.builder().status(database.ping()).build(),
                        HealthCheckType.READINESS, "database");
        shared.addReadinessCheck(health);
        server.addFeature(ObserveFeature.builder()
                        .endpoint("/")
                        .addObserver(health.build())
                        .addObserver(MetricsObserver.builder().build())
                        .build())
                .routing(this::routing);
        ready = true;
    }

    /** The gateway's routes; reusable by tests that build their own server. */
    public void routing(HttpRouting.Builder routing) {
        ApiRouting.register(routing, observer, authenticator, tables, dispatcher, embeddings, shared.rateLimits(),
                config.limits().maxRequestBytes(), startedAt, shared.sessions(), shared.catalog(), shared.responses(),
                config.responses().maxStoredBytes());
        adminApi.register(routing);
    }

    /** Starts listening as configured. */
    public WebServer start(Config serverTuning) {
        WebServerConfig.Builder builder = WebServer.builder()
                .config(serverTuning)
                .host(config.server().host())
                .port(config.server().port())
                .shutdownGracePeriod(config.server().shutdownGrace())
                .shutdownHook(false);
        configure(builder);
        server = builder.build().start();
        if (server.port() < 0) {
            // Helidon logs the bind failure and reports port -1 instead of throwing
            close();
            throw new ConfigException("server.port", "cannot listen on " + config.server().host() + ":"
                    + config.server().port() + " (address in use, or not permitted)");
        }
        return server;
    }

    public GatewayConfig config() {
        return config;
    }

    /** The configuration currently routed (file and database entities). */
    public GatewayConfig effectiveConfig() {
        return controlPlane.effective();
    }

    public Optional<MockUpstream> demo() {
        return demo;
    }

    @Override
    public void close() {
        ready = false;
        if (server != null) {
            server.stop();
        }
        closeComponents();
        demo.ifPresent(MockUpstream::close);
        database.close();
    }

    /** Everything the constructor built and started, in the order they must stop. */
    private void closeComponents() {
        // the catalog's refresher reads the tables and calls upstreams: stop it before they go
        shared.catalog().close();
        controlPlane.close();
        recorder.close();
        tables.close();
        watchdog.close();
        shared.close();
    }

    private ModelPricing pricing(String providerId, String model) {
        ProviderConfig provider = tables.current().config().providers().get(providerId);
        return provider == null ? ModelPricing.FREE : provider.pricingOf(model);
    }

    private static GatewayConfig withKeys(GatewayConfig config, Optional<String> envApiKey, PrintStream console) {
        AuthConfig auth = config.auth();
        if (envApiKey.isPresent()) {
            auth = auth.withKey(new ApiKeyConfig("env", Secret.of(envApiKey.get())));
        }
        if (auth.apiKeys().isEmpty()) {
            String generated = generateKey();
            auth = auth.withKey(new ApiKeyConfig("generated", Secret.of(generated)));
            console.println("No API key configured (auth.api-keys or HIGRESS_API_KEY); generated one for this run:");
            console.println("    " + generated);
        }
        return config.withAuth(auth);
    }

    static String generateKey() {
        SecureRandom random = new SecureRandom();
        StringBuilder key = new StringBuilder("sk-hig-");
        for (int i = 0; i < 43; i++) {
            key.append(KEY_ALPHABET.charAt(random.nextInt(KEY_ALPHABET.length())));
        }
        return key.toString();
    }
}
