package ai.higress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import ai.higress.config.ConfigException;
import ai.higress.config.GatewayConfig;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line and the layering of configuration sources. */
class MainTest {

    @Test
    void defaultsComeFromTheJarAndDemoIsOnWithoutProviders() {
        GatewayConfig config = GatewayConfig.create(Main.load(Optional.empty()));
        assertEquals(8080, config.server().port());
        assertEquals(3, config.limits().maxAttempts());
        assertTrue(config.demo().enabled());
        assertEquals(java.time.Duration.ofSeconds(60), config.timeouts().firstToken());
    }

    @Test
    void theFileOverridesDefaultsAndSystemPropertiesOverrideTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                server: {port: 9999}
                limits: {max-attempts: 5}
                providers:
                  local: {type: openai, preset: vllm, models: [m]}
                """);
        System.setProperty("limits.max-attempts", "2");
        try {
            Config config = Main.load(Optional.of(file));
            GatewayConfig gateway = GatewayConfig.create(config);
            assertEquals(9999, gateway.server().port());
            assertEquals(2, gateway.limits().maxAttempts());
            assertEquals(false, gateway.demo().enabled(), "a configured provider turns the demo off");
            assertEquals("http://127.0.0.1:8000/v1", gateway.providers().get("local").baseUrl().toString());
        } finally {
            System.clearProperty("limits.max-attempts");
        }
    }

    @Test
    void modelNamesWithDotsUseTheListForm(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                providers:
                  - {name: openai, type: openai, api-key: "sk-0123456789abcdef", models: [gpt-4.1]}
                models:
                  - name: gpt-4.1
                    targets: [{provider: openai, model: gpt-4.1}]
                  - name: smart
                    targets: [{provider: openai, model: gpt-4.1}]
                """);
        GatewayConfig gateway = GatewayConfig.create(Main.load(Optional.of(file)));
        assertEquals(java.util.List.of("gpt-4.1", "smart"), java.util.List.copyOf(gateway.models().keySet()));
        assertEquals("gpt-4.1", gateway.models().get("gpt-4.1").targets().getFirst().model());
    }

    @Test
    void commandLineErrorsAreReported(@TempDir Path dir) {
        assertThrows(Main.UsageException.class, () -> Main.configFile(new String[] {"--config"}));
        assertThrows(Main.UsageException.class, () -> Main.configFile(new String[] {"--bogus"}));
        ConfigException missing = assertThrows(ConfigException.class,
                () -> Main.configFile(new String[] {"--config", dir.resolve("absent.yaml").toString()}));
        assertTrue(missing.getMessage().startsWith("--config: cannot read file"), missing.getMessage());
        assertEquals(Optional.of(dir.resolve("x.yaml")), optionalExisting(dir.resolve("x.yaml")));
    }

    private static Optional<Path> optionalExisting(Path path) {
        try {
            Files.writeString(path, "server: {port: 1}\n");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return Main.configFile(new String[] {"--config", path.toString()});
    }

    @Test
    void aBusyPortStopsTheGatewayWithAClearMessage() throws IOException {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Config config = TestGateway.config("server: {host: 127.0.0.1, port: " + busy.getLocalPort() + "}");
            Gateway gateway = Gateway.create(GatewayConfig.create(config), TestGateway.environment(),
                    io.helidon.metrics.api.Metrics.globalRegistry(), System.out);
            ConfigException failure = assertThrows(ConfigException.class, () -> gateway.start(config.get("server")));
            assertTrue(failure.getMessage().startsWith("server.port: cannot listen on 127.0.0.1:"
                    + busy.getLocalPort()), failure.getMessage());
        }
    }

    @Test
    void generatedKeysAreStrongAndUrlSafe() {
        String key = Gateway.generateKey();
        assertTrue(key.matches("sk-hig-[0-9A-Za-z]{43}"), key);
        assertTrue(!key.equals(Gateway.generateKey()));
    }
}
