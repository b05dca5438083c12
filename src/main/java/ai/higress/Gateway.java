package ai.higress;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

import ai.higress.api.ApiRouting;
import ai.higress.auth.ApiKeyAuthenticator;
import ai.higress.auth.KeyHasher;
import ai.higress.auth.ServerSecret;
import ai.higress.auth.SpendLedger;
import ai.higress.config.AdminConfig;
import ai.higress.config.ApiKeyConfig;
import ai.higress.config.AuthConfig;
import ai.higress.config.AuthStyle;
import ai.higress.config.ConfigException;
import ai.higress.config.GatewayConfig;
import ai.higress.config.ModelCapabilities;
import ai.higress.config.ModelConfig;
import ai.higress.config.TargetConfig;
import ai.higress.config.PathStyle;
import ai.higress.config.ProviderConfig;
import ai.higress.config.ProviderPreset;
import ai.higress.config.ProviderType;
import ai.higress.config.Secret;
import ai.higress.mock.MockUpstream;
import ai.higress.mock.MockUpstreamConfig;
import ai.higress.observe.GatewayMetrics;
import ai.higress.observe.RequestObserver;
import ai.higress.provider.openai.OpenAiAdapter;
import ai.higress.routing.ChatDispatcher;
import ai.higress.routing.CircuitBreaker;
import ai.higress.routing.Failover;
import ai.higress.routing.HealthTracker;
import ai.higress.routing.RetryBudget;
import ai.higress.routing.RoutingListener;
import ai.higress.routing.Ticker;
import ai.higress.routing.ProviderAdapters;
import ai.higress.routing.RoutingTables;
import ai.higress.upstream.Watchdog;

import io.helidon.common.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/**
 * The composition root: builds every component from the typed configuration, wires the routes and owns the
 * lifecycle. Nothing else constructs long-lived components.
 */
public final class Gateway implements AutoCloseable {
    static final String DEMO_PROVIDER = "demo";
    static final String DEMO_MODEL = "demo";
    private static final String KEY_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final GatewayConfig config;
    private final Optional<MockUpstream> demo;
    private final Watchdog watchdog;
    private final ApiKeyAuthenticator authenticator;
    private final SpendLedger spend;
    private final HealthTracker health;
    private final RoutingTables tables;
    private final ChatDispatcher dispatcher;
    private final RequestObserver observer;
    private final java.time.Instant startedAt;
    private volatile boolean ready;
    private WebServer server;

    private Gateway(GatewayConfig config, byte[] serverSecret, Optional<MockUpstream> demo, MeterRegistry registry,
                    Clock clock) {
        this.config = config;
        this.demo = demo;
        this.startedAt = clock.instant();
        this.watchdog = new Watchdog();
        this.spend = new SpendLedger();
        this.authenticator = new ApiKeyAuthenticator(new KeyHasher(serverSecret), config.auth().apiKeys(), clock,
                spend);
        GatewayMetrics metrics = new GatewayMetrics(registry);
        RoutingListener listener = routingListener(metrics);
        this.health = new HealthTracker(config.routing().health(), Ticker.SYSTEM, SplittableRandom::new, listener);
        this.tables = new RoutingTables(health, ThreadLocalRandom::current, config.timeouts().stream());
        tables.apply(config, 0);
        Failover failover = new Failover(config.limits().maxAttempts(), health,
                new RetryBudget(config.routing().retry(), Ticker.SYSTEM), config.routing().retry(),
                ThreadLocalRandom::current, listener);
        this.dispatcher = new ChatDispatcher(tables, failover,
                new ProviderAdapters(Map.of(ProviderType.OPENAI, new OpenAiAdapter(clock))), watchdog,
                config.limits(), config.timeouts());
        this.observer = new RequestObserver(config.observe(), metrics, RequestObserver.Hook.NONE);
    }

    /**
     * Builds a gateway. Starts the demo upstream when it is enabled, and generates a client key when none is
     * configured (printed once to {@code console}).
     */
    public static Gateway create(GatewayConfig config, GatewayEnvironment environment, MeterRegistry registry,
                                 PrintStream console) {
        GatewayConfig effective = withKeys(config, environment.apiKey(), console);
        if (environment.adminToken().isPresent()) {
            effective = effective.withAdmin(new AdminConfig(Optional.of(Secret.of(environment.adminToken().get()))));
        }
        byte[] serverSecret = ServerSecret.load(environment.secretKey(),
                environment.dataDir().resolve("secret.key"), true);
        Optional<MockUpstream> demo = Optional.empty();
        if (effective.demo().enabled()) {
            if (effective.providers().containsKey(DEMO_PROVIDER)) {
                throw new ConfigException("providers." + DEMO_PROVIDER,
                        "the name is reserved for the built-in demo provider while demo.enabled is true");
            }
            MockUpstream mock = MockUpstream.start(MockUpstreamConfig.defaults()
                    .withFirstTokenDelay(effective.demo().firstTokenDelay())
                    .withTokenInterval(effective.demo().tokenInterval()));
            demo = Optional.of(mock);
            effective = effective.withProvider(new ProviderConfig(DEMO_PROVIDER, ProviderType.OPENAI,
                    ProviderPreset.CUSTOM, mock.baseUri(), List.of(), AuthStyle.NONE, PathStyle.STANDARD, "",
                    Map.of(), List.of(DEMO_MODEL), ModelCapabilities.ALL, Map.of(), 4096, true, effective.timeouts()));
            if (!effective.models().containsKey(DEMO_MODEL)) {
                effective = effective.withModel(new ModelConfig(DEMO_MODEL,
                        List.of(new TargetConfig(DEMO_PROVIDER, DEMO_MODEL, 1))));
            }
        }
        return new Gateway(effective, serverSecret, demo, registry, Clock.systemUTC());
    }

    /** Adds the routes, filters and observability endpoints to a server under construction. */
    public void configure(WebServerConfig.Builder server) {
        server.addFeature(ObserveFeature.builder()
                        .endpoint("/")
                        .addObserver(HealthObserver.builder()
                                .details(true)
                                .addCheck(() -> ready ? HealthCheckResponse.builder().status(true).build()
                                        : HealthCheckResponse.builder().status(false).build(),
                                        HealthCheckType.READINESS, "gateway")
                                .build())
                        .addObserver(MetricsObserver.builder().build())
                        .build())
                .routing(this::routing);
        ready = true;
    }

    /** The gateway's routes; reusable by tests that build their own server. */
    public void routing(HttpRouting.Builder routing) {
        ApiRouting.register(routing, observer, authenticator, config.admin(), tables, dispatcher, health,
                config.limits().maxRequestBytes(), startedAt);
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

    public Optional<MockUpstream> demo() {
        return demo;
    }

    @Override
    public void close() {
        ready = false;
        if (server != null) {
            server.stop();
        }
        tables.close();
        demo.ifPresent(MockUpstream::close);
        watchdog.close();
    }

    private static RoutingListener routingListener(GatewayMetrics metrics) {
        return new RoutingListener() {
            @Override
            public void failover(String model) {
                metrics.failover(model);
            }

            @Override
            public void hedge(String model) {
                metrics.hedge(model);
            }

            @Override
            public void retryDenied(String model) {
                metrics.retryDenied(model);
            }

            @Override
            public void targetTracked(String label, CircuitBreaker breaker, Ticker ticker) {
                metrics.circuitState(label, () -> breaker.state(ticker.nanos()).gaugeValue());
            }
        };
    }

    private static GatewayConfig withKeys(GatewayConfig config, Optional<String> envApiKey, PrintStream console) {
        AuthConfig auth = config.auth();
        if (envApiKey.isPresent() && !envApiKey.get().isBlank()) {
            auth = auth.withKey(new ApiKeyConfig("env", Secret.of(envApiKey.get().strip())));
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
