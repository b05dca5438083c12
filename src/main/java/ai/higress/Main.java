package ai.higress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import ai.higress.config.ConfigException;
import ai.higress.config.GatewayConfig;
import ai.higress.mock.MockUpstreamCommand;
import ai.higress.storage.Database;
import ai.higress.storage.StorageException;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.logging.common.LogConfig;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;

/**
 * Command line: {@code [--config FILE]} starts the gateway ({@code HIGRESS_CONFIG=FILE} works too);
 * {@code mock-upstream [flags]} starts the standalone mock upstream. Configuration is layered, highest priority
 * first: environment variables (Helidon's mapping, {@code SERVER_PORT} for {@code server.port}), system properties,
 * the config file, then the defaults in the jar.
 */
public final class Main {
    static final String DEFAULTS = "higress-defaults.yaml";

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        if (args.length > 0 && args[0].equals("mock-upstream")) {
            MockUpstreamCommand.run(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("migrate")) {
            migrate(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        try {
            Optional<Path> file = configFile(args);
            Config config = load(file);
            GatewayConfig gatewayConfig = GatewayConfig.create(config);
            Gateway gateway = Gateway.create(gatewayConfig, GatewayEnvironment.fromProcess(), Metrics.globalRegistry(),
                    System.out);
            WebServer server = gateway.start(config.get("server"));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                gateway.close();
                stopped.countDown();
            }, "higress-shutdown"));
            System.out.println("AI-Higress Gateway listening on http://" + displayHost(gatewayConfig) + ":"
                    + server.port() + "/v1 (" + gateway.config().providers().size() + " provider(s)"
                    + (gateway.demo().isPresent() ? ", built-in demo providers: models 'demo', 'demo-claude' (Anthropic "
                    + "upstream), 'demo-gemini' (Gemini upstream)" : "") + ")");
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
        } catch (UsageException e) {
            System.err.println(e.getMessage());
            System.err.println("Usage: java -jar ai-higress-gateway.jar [--config FILE] | migrate [--config FILE]"
                    + " | mock-upstream [--help]");
            System.exit(2);
        }
    }

    /** {@code migrate [--config FILE]}: applies the database migrations and exits (the production path). */
    private static void migrate(String[] args) {
        try {
            GatewayConfig config = GatewayConfig.create(load(configFile(args)));
            try (Database database = Database.create(config.database())) {
                int applied = database.migrate();
                System.out.println("Applied " + applied + " migration(s) to " + config.database().redactedUrl());
            }
        } catch (ConfigException | StorageException e) {
            System.err.println("Migration failed: " + e.getMessage());
            System.exit(2);
        }
    }

    static Optional<Path> configFile(String[] args) {
        Optional<String> named = Optional.ofNullable(System.getenv("HIGRESS_CONFIG")).filter(s -> !s.isBlank());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (i + 1 == args.length) {
                        throw new UsageException("--config needs a file name");
                    }
                    named = Optional.of(args[++i]);
                }
                case "--help", "-h" -> throw new UsageException("AI-Higress Gateway");
                default -> throw new UsageException("Unknown argument: " + args[i]);
            }
        }
        Optional<Path> path = named.map(Path::of);
        if (path.isPresent() && !Files.isReadable(path.get())) {
            throw new ConfigException("--config", "cannot read file " + path.get().toAbsolutePath());
        }
        return path;
    }

    /** The layered configuration; the file is optional. */
    static Config load(Optional<Path> file) {
        Config.Builder builder = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.environmentVariables())
                .addSource(ConfigSources.systemProperties());
        file.ifPresent(path -> builder.addSource(ConfigSources.file(path)));
        return builder.addSource(ConfigSources.classpath(DEFAULTS)).build();
    }

    private static String displayHost(GatewayConfig config) {
        String host = config.server().host();
        return host.equals("0.0.0.0") ? "localhost" : host;
    }

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
