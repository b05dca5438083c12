package ai.higress.mock;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A deterministic OpenAI-compatible upstream on its own Helidon socket: the gateway's zero-config {@code demo}
 * provider and a stand-in for real vendors in tests and benchmarks.
 */
public final class MockUpstream implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MockUpstream.class.getName());
    private static final String CHAT_COMPLETIONS = "/v1/chat/completions";
    private static final String EMBEDDINGS = "/v1/embeddings";
    private static final String MODELS = "/v1/models";
    // {+id} spans slashes: model ids such as "org/model" are common behind gateways.
    private static final String MODEL = "/v1/models/{+id}";
    private static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024;
    private static final Duration SHUTDOWN_GRACE = Duration.ofMillis(500);

    private final WebServer server;
    private final ChatCompletionHandler chat;
    private final URI baseUri;

    private MockUpstream(WebServer server, ChatCompletionHandler chat, String host) {
        this.server = server;
        this.chat = chat;
        String authority = host.contains(":") ? "[" + host + "]" : host;
        this.baseUri = URI.create("http://" + authority + ":" + server.port() + "/v1");
    }

    /** Starts the server and returns once it is listening. */
    public static MockUpstream start(MockUpstreamConfig config) {
        return start(config, Thread::sleep);
    }

    static MockUpstream start(MockUpstreamConfig config, Pacer.Sleeper sleeper) {
        ObjectMapper json = new ObjectMapper();
        ErrorEnvelope errors = new ErrorEnvelope(json);
        ChatCompletionHandler chat = new ChatCompletionHandler(json, config, new Pacer(config, sleeper),
                Clock.systemUTC());
        ModelCatalog catalog = new ModelCatalog(json, config.models());
        WebServer server = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .shutdownHook(false)
                .featuresDiscoverServices(false)
                .connectionOptions(options -> options.tcpNoDelay(true))
                .shutdownGracePeriod(SHUTDOWN_GRACE)
                .maxPayloadSize(MAX_REQUEST_BYTES)
                .routing(routing -> routes(routing, config, errors, chat, catalog,
                        new EmbeddingsHandler(json, config.models())))
                .build()
                .start();
        if (server.port() < 0) {
            // Helidon logs the bind failure and reports port -1 instead of throwing
            server.stop();
            throw new IllegalStateException("mock-upstream cannot listen on " + config.host() + ":" + config.port()
                    + " (address in use, or not permitted)");
        }
        return new MockUpstream(server, chat, config.host());
    }

    public int port() {
        return server.port();
    }

    /** The OpenAI base URL clients use, {@code http://<host>:<port>/v1}. */
    public URI baseUri() {
        return baseUri;
    }

    /** Chat completion requests that reached the handler, including those answered with an error. */
    public long requestCount() {
        return chat.requestCount();
    }

    /** Streams that ended early because the client went away (or the server was stopping). */
    public long abortedStreamCount() {
        return chat.abortedStreamCount();
    }

    @Override
    public void close() {
        server.stop();
    }

    private static void routes(HttpRouting.Builder routing, MockUpstreamConfig config, ErrorEnvelope errors,
            ChatCompletionHandler chat, ModelCatalog catalog, EmbeddingsHandler embeddings) {
        config.apiKey().ifPresent(key -> routing.addFilter(new ApiKeyCheck(key, errors)));
        routing.post(CHAT_COMPLETIONS, chat)
                .any(CHAT_COMPLETIONS, methodNotAllowed("POST"))
                .post(EMBEDDINGS, embeddings)
                .any(EMBEDDINGS, methodNotAllowed("POST"))
                .get(MODELS, catalog::list)
                .any(MODELS, methodNotAllowed("GET"))
                .get(MODEL, catalog::one)
                .any(MODEL, methodNotAllowed("GET"))
                .any(MockUpstream::notFound)
                .error(MockApiError.class, (req, res, error) -> errors.send(res, error))
                .error(Exception.class, (req, res, error) -> {
                    LOG.log(System.Logger.Level.WARNING, "mock upstream failed on " + describe(req), error);
                    errors.send(res, MockApiError.serverError("The mock upstream failed unexpectedly."));
                });
    }

    private static Handler methodNotAllowed(String allowed) {
        return (req, res) -> {
            res.header(HeaderNames.ALLOW, allowed);
            throw MockApiError.methodNotAllowed("Invalid method for URL (" + describe(req) + "); use " + allowed
                    + ".");
        };
    }

    private static void notFound(ServerRequest req, ServerResponse res) {
        throw MockApiError.notFound("Invalid URL (" + describe(req) + ")");
    }

    private static String describe(ServerRequest req) {
        return req.prologue().method().text() + " " + req.path().path();
    }
}
