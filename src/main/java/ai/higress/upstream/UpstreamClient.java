package ai.higress.upstream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import ai.higress.config.ProviderConfig;
import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.UpstreamRequest;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

/**
 * Sends requests to one provider. Thread-safe; one instance per provider. Its concurrency cap is applied before an
 * attempt reaches it (see {@code ai.higress.concurrency}), so a target at its cap is skipped rather than failed.
 */
public final class UpstreamClient implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(UpstreamClient.class.getName());

    private final ProviderConfig provider;
    private final WebClient client;

    private UpstreamClient(ProviderConfig provider, WebClient client) {
        this.provider = provider;
        this.client = client;
    }

    public static UpstreamClient create(ProviderConfig provider) {
        WebClient client = WebClient.builder()
                .connectTimeout(provider.timeouts().connect())
                .readTimeout(provider.timeouts().request())
                .followRedirects(false)
                .keepAlive(true)
                .sendExpectContinue(false)
                .shareConnectionCache(false)
                .socketOptions(options -> options.tcpNoDelay(true))
                .connectionCacheSize(Math.max(32, Math.min(provider.maxConcurrency(), 4096)))
                .build();
        return new UpstreamClient(provider, client);
    }

    public ProviderConfig provider() {
        return provider;
    }

    /**
     * Sends {@code request} and returns once the response headers have arrived.
     *
     * @param readTimeout longest wait for any single read, headers included
     * @throws UpstreamException NETWORK or TIMEOUT
     */
    public UpstreamResponse send(UpstreamRequest request, Duration readTimeout) {
        try {
            HttpClientRequest call = client.post().uri(uri(request.path())).readTimeout(readTimeout);
            request.headers().forEach((name, value) -> call.header(HeaderNames.create(name), value));
            HttpClientResponse response = call.submit(request.body());
            return new UpstreamResponse(response, lowerCaseHeaders(response));
        } catch (RuntimeException e) {
            throw transportFailure(e);
        }
    }

    /**
     * A {@code GET <base-url><path>} with the provider's static headers and first credential (sent as its
     * {@code auth-style} says, plus the {@code anthropic-version} an Anthropic provider needs on every call), outside
     * the concurrency caps: used by background jobs such as model discovery.
     *
     * @return the body of a 2xx answer
     * @throws UpstreamException on a transport failure or a non-2xx status
     */
    public byte[] get(String path, Duration readTimeout) {
        try {
            HttpClientRequest call = client.get().uri(uri(path)).readTimeout(readTimeout);
            provider.headers().forEach((name, value) -> call.header(HeaderNames.create(name), value));
            call.header(HeaderNames.ACCEPT, "application/json");
            if (provider.type() == ai.higress.config.ProviderType.ANTHROPIC) {
                call.header(HeaderNames.create("anthropic-version"), provider.apiVersion());
            }
            ai.higress.config.ProviderKey key = provider.keys().isEmpty() ? null : provider.keys().getFirst();
            if (key != null && !key.isNone()) {
                provider.authStyle().header(key.secret().reveal())
                        .ifPresent(header -> call.header(HeaderNames.create(header.getKey()), header.getValue()));
            }
            try (HttpClientResponse response = call.request()) {
                byte[] body = response.entity().as(byte[].class);
                int status = response.status().code();
                if (status < 200 || status >= 300) {
                    throw UpstreamException.transport(ErrorKind.NETWORK, "provider '" + provider.id()
                            + "' answered GET " + path + " with status " + status);
                }
                return body;
            }
        } catch (UpstreamException e) {
            throw e;
        } catch (RuntimeException e) {
            throw transportFailure(e);
        }
    }

    /**
     * The base URL with {@code pathAndQuery} appended. Built here: given a string, the client percent-encodes the
     * {@code ?}, so a query (Azure's api-version, Gemini's alt=sse) would arrive as part of the path.
     */
    private URI uri(String pathAndQuery) {
        return URI.create(provider.baseUrl() + pathAndQuery);
    }

    private UpstreamException transportFailure(RuntimeException failure) {
        Throwable cause = failure;
        while (cause != null) {
            if (cause instanceof SocketTimeoutException || cause instanceof InterruptedIOException) {
                return UpstreamException.transport(ErrorKind.TIMEOUT,
                        "provider '" + provider.id() + "' did not answer in time");
            }
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                return UpstreamException.transport(ErrorKind.NETWORK,
                        "provider '" + provider.id() + "' is unreachable");
            }
            if (cause instanceof IOException) {
                return UpstreamException.connectionLost("the connection to provider '" + provider.id() + "' failed");
            }
            cause = cause.getCause();
        }
        LOGGER.log(System.Logger.Level.DEBUG, "upstream call failed", failure);
        return UpstreamException.transport(ErrorKind.NETWORK,
                "the connection to provider '" + provider.id() + "' failed");
    }

    private static Map<String, String> lowerCaseHeaders(HttpClientResponse response) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : response.headers()) {
            headers.putIfAbsent(header.name().toLowerCase(java.util.Locale.ROOT), header.get());
        }
        return headers;
    }

    @Override
    public void close() {
        client.closeResource();
    }
}
