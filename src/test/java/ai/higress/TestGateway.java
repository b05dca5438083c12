package ai.higress;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.config.GatewayConfig;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;

/** A real gateway on 127.0.0.1 and an ephemeral port, configured from YAML, with a JDK HTTP client. */
final class TestGateway implements AutoCloseable {
    static final String KEY = "sk-test-client-key-0123456789";

    private final Gateway gateway;
    private final WebServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private TestGateway(Gateway gateway, WebServer server) {
        this.gateway = gateway;
        this.server = server;
    }

    /** Starts a gateway; {@code yaml} is layered over the built-in defaults, server and key are filled in. */
    static TestGateway start(String yaml) {
        Config config = config(yaml);
        Gateway gateway = Gateway.create(GatewayConfig.create(config), environment(), Metrics.globalRegistry(),
                System.out);
        return new TestGateway(gateway, gateway.start(config.get("server")));
    }

    /** A test environment: a fixed server secret, so no secret file is ever written. */
    static GatewayEnvironment environment() {
        return new GatewayEnvironment(Optional.empty(), Optional.empty(),
                Optional.of("test-server-secret-0123456789-abcdefghijklmnop"), java.nio.file.Path.of("target/test-data"));
    }

    static Config config(String yaml) {
        String testLayer = """
                server: {host: 127.0.0.1, port: 0}
                auth:
                  api-keys: [{name: test, key: "%s"}]
                catalog: {discover: false}
                database:
                  url: "jdbc:h2:mem:gateway-%s;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1"
                """.formatted(KEY, java.util.UUID.randomUUID());
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(yaml, io.helidon.common.media.type.MediaTypes.APPLICATION_X_YAML))
                .addSource(ConfigSources.create(testLayer, io.helidon.common.media.type.MediaTypes.APPLICATION_X_YAML))
                .addSource(ConfigSources.classpath(Main.DEFAULTS))
                .build();
    }

    Gateway gateway() {
        return gateway;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + KEY).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Posts a streaming request and returns the status and every SSE line that arrived. */
    StreamedResponse stream(String body) {
        return stream("/v1/chat/completions", body);
    }

    /** Posts a streaming request to {@code path} and returns the status and every SSE line that arrived. */
    StreamedResponse stream(String path, String body) {
        return stream(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Sends a request whose answer is a stream and returns the status and every SSE line that arrived. */
    StreamedResponse stream(HttpRequest request) {
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            List<String> lines = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("<<broken: " + e.getClass().getSimpleName() + ">>");
            }
            return new StreamedResponse(response, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        gateway.close();
    }

    record StreamedResponse(HttpResponse<InputStream> response, List<String> lines) {
        int status() {
            return response.statusCode();
        }

        List<String> data() {
            return lines.stream().filter(line -> line.startsWith("data: ")).map(line -> line.substring(6)).toList();
        }

        String body() {
            return String.join("\n", lines);
        }
    }
}
