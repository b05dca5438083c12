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
 * A deterministic upstream on its own Helidon socket that speaks every protocol the gateway speaks upstream: OpenAI
 * (chat completions, embeddings, models) and Anthropic Messages under {@link #baseUri()}, Gemini under
 * {@link #geminiBaseUri()}. It is the gateway's zero-config {@code demo} providers and a stand-in for real vendors in
 * tests and benchmarks.
 */
public final class MockUpstream implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MockUpstream.class.getName());
    private static final String CHAT_COMPLETIONS = "/v1/chat/completions";
    private static final String EMBEDDINGS = "/v1/embeddings";
    private static final String MODELS = "/v1/models";
    // {+id} spans slashes: model ids such as "org/model" are common behind gateways.
    private static final String MODEL = "/v1/models/{+id}";
    private static final String GEMINI_MODELS = Dialect.GEMINI_ROOT + "/models";
    // "{model}:generateContent" is one path segment; the parser splits it at the colon.
    private static final String GEMINI_MODEL = GEMINI_MODELS + "/{+" + GeminiRequestParser.CALL_PARAMETER + "}";
    private static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024;
    private static final Duration SHUTDOWN_GRACE = Duration.ofMillis(500);

    private final WebServer server;
    private final Traffic traffic;
    private final URI baseUri;
    private final URI geminiBaseUri;

    private MockUpstream(WebServer server, Traffic traffic, String host) {
        this.server = server;
        this.traffic = traffic;
        String authority = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
        this.baseUri = URI.create(authority + "/v1");
        this.geminiBaseUri = URI.create(authority + Dialect.GEMINI_ROOT);
    }

    /** The generation endpoints of the three protocols, sharing one request count, failure sequence and pacing. */
    private record Generation(GenerationHandler chat, GenerationHandler messages, GenerationHandler gemini) {

        static Generation create(ObjectMapper json, MockUpstreamConfig config, Pacer pacer, Traffic traffic) {
            FailureInjector failures = new FailureInjector(config.failureRate(), config.seed());
            Clock clock = Clock.systemUTC();
            ChatRequestParser chat = new ChatRequestParser(json, config.models());
            MessagesRequestParser messages = new MessagesRequestParser(json, config.models());
            GeminiRequestParser gemini = new GeminiRequestParser(json, config.models());
            return new Generation(
                    new GenerationHandler((req, body, number) -> chat.parse(body, "call_mock_" + number),
                            (request, number, created) -> new CompletionJson(json, "chatcmpl-mock-" + number,
                                    created, request), traffic, failures, pacer, clock),
                    new GenerationHandler(messages::parse,
                            (request, number, created) -> new MessageJson(json, "msg_mock_" + number, request),
                            traffic, failures, pacer, clock),
                    new GenerationHandler(gemini::parse,
                            (request, number, created) -> new GeminiJson(json, "mock-" + number, request),
                            traffic, failures, pacer, clock));
        }
    }

    /** Starts the server and returns once it is listening. */
    public static MockUpstream start(MockUpstreamConfig config) {
        return start(config, Thread::sleep);
    }

    static MockUpstream start(MockUpstreamConfig config, Pacer.Sleeper sleeper) {
        ObjectMapper json = new ObjectMapper();
        ErrorEnvelope errors = new ErrorEnvelope(json);
        Traffic traffic = new Traffic();
        Generation generation = Generation.create(json, config, new Pacer(config, sleeper), traffic);
        ModelCatalog catalog = new ModelCatalog(json, config.models());
        WebServer server = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .shutdownHook(false)
                .featuresDiscoverServices(false)
                .connectionOptions(options -> options.tcpNoDelay(true))
                .shutdownGracePeriod(SHUTDOWN_GRACE)
                .maxPayloadSize(MAX_REQUEST_BYTES)
                .routing(routing -> routes(routing, config, errors, generation, catalog,
                        new EmbeddingsHandler(json, config.models())))
                .build()
                .start();
        if (server.port() < 0) {
            // Helidon logs the bind failure and reports port -1 instead of throwing
            server.stop();
            throw new IllegalStateException("mock-upstream cannot listen on " + config.host() + ":" + config.port()
                    + " (address in use, or not permitted)");
        }
        return new MockUpstream(server, traffic, config.host());
    }

    public int port() {
        return server.port();
    }

    /** The OpenAI and Anthropic base URL clients use, {@code http://<host>:<port>/v1}. */
    public URI baseUri() {
        return baseUri;
    }

    /** The Gemini base URL clients use, {@code http://<host>:<port>/v1beta}. */
    public URI geminiBaseUri() {
        return geminiBaseUri;
    }

    /**
     * Generation requests (chat completions, messages, Gemini generateContent) that reached a handler, including
     * those answered with an error.
     */
    public long requestCount() {
        return traffic.requestCount();
    }

    /** Streams that ended early because the client went away (or the server was stopping). */
    public long abortedStreamCount() {
        return traffic.abortedStreamCount();
    }

    @Override
    public void close() {
        server.stop();
    }

    private static void routes(HttpRouting.Builder routing, MockUpstreamConfig config, ErrorEnvelope errors,
            Generation generation, ModelCatalog catalog, EmbeddingsHandler embeddings) {
        config.apiKey().ifPresent(key -> routing.addFilter(new ApiKeyCheck(key, errors)));
        routing.post(CHAT_COMPLETIONS, generation.chat())
                .any(CHAT_COMPLETIONS, methodNotAllowed("POST"))
                .post(Dialect.MESSAGES, generation.messages())
                .any(Dialect.MESSAGES, methodNotAllowed("POST"))
                .get(GEMINI_MODELS, catalog::geminiList)
                .any(GEMINI_MODELS, methodNotAllowed("GET"))
                .post(GEMINI_MODEL, generation.gemini())
                .get(GEMINI_MODEL, catalog::geminiOne)
                .any(GEMINI_MODEL, methodNotAllowed("GET, POST"))
                .post(EMBEDDINGS, embeddings)
                .any(EMBEDDINGS, methodNotAllowed("POST"))
                .get(MODELS, catalog::list)
                .any(MODELS, methodNotAllowed("GET"))
                .get(MODEL, catalog::one)
                .any(MODEL, methodNotAllowed("GET"))
                .any(MockUpstream::notFound)
                .error(MockApiError.class, (req, res, error) -> errors.send(res, Dialect.of(req), error))
                .error(Exception.class, (req, res, error) -> {
                    LOG.log(System.Logger.Level.WARNING, "mock upstream failed on " + describe(req), error);
                    errors.send(res, Dialect.of(req), MockApiError.serverError("The mock upstream failed "
                            + "unexpectedly."));
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
