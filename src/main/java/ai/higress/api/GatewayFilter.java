package ai.higress.api;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import ai.higress.observe.Exchange;
import ai.higress.observe.Outcome;
import ai.higress.observe.RequestObserver;
import ai.higress.schema.WireProtocol;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * The outermost filter. Gives the request its own unique id ({@code x-higress-request-id}: the key of the request log,
 * the access log and JFR events), keeps the client's {@code x-request-id} when it is sane (echoed, and forwarded
 * upstream; a new id stands in when there is none), registers its {@link Exchange} with the client's dialect (known
 * from the path, so even a refused key or an unknown sub-path is answered in it), turns any failure that escapes the
 * handlers into an error in that dialect, and reports the request exactly once when it ends.
 */
final class GatewayFilter implements io.helidon.webserver.http.Filter {
    static final HeaderName REQUEST_ID = HeaderNames.create("x-request-id");
    /** The gateway's own id of a request, unique even when clients reuse their x-request-id. */
    static final HeaderName GATEWAY_REQUEST_ID = HeaderNames.create("x-higress-request-id");
    static final HeaderName ANTHROPIC_REQUEST_ID = HeaderNames.create("request-id");
    /** Every path of the Gemini API (its version segment); the gateway serves only generation under it. */
    static final String GEMINI_PREFIX = "/v1beta/";
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final RequestObserver observer;

    /** 128 random bits; request ids need uniqueness, not secrecy, so no SecureRandom on the hot path. */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "req_" + HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    }

    GatewayFilter(RequestObserver observer) {
        this.observer = observer;
    }

    /** The dialect of the API a path belongs to; everything not Anthropic's or Gemini's is answered as OpenAI. */
    static WireProtocol dialectOf(String path) {
        if (path.startsWith(GEMINI_PREFIX)) {
            return WireProtocol.GEMINI;
        }
        for (String messages : new String[] {"/v1/messages", "/messages"}) {
            if (path.equals(messages) || path.startsWith(messages + "/")) {
                return WireProtocol.ANTHROPIC_MESSAGES;
            }
        }
        return WireProtocol.OPENAI_CHAT;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String requestId = newRequestId();
        String clientRequestId = request.headers().first(REQUEST_ID).filter(id -> SANE_ID.matcher(id).matches())
                .orElse("");
        response.header(REQUEST_ID, clientRequestId.isEmpty() ? requestId : clientRequestId);
        response.header(GATEWAY_REQUEST_ID, requestId);
        WireProtocol dialect = dialectOf(request.path().path());
        if (dialect == WireProtocol.ANTHROPIC_MESSAGES) {
            // where Anthropic's SDKs look for the id a user quotes when reporting a problem
            response.header(ANTHROPIC_REQUEST_ID, clientRequestId.isEmpty() ? requestId : clientRequestId);
        }
        Exchange exchange = new Exchange(requestId, clientRequestId, request.prologue().method().text(),
                request.path().path(), System.nanoTime());
        exchange.clientProtocol(dialect);
        request.context().register(exchange);
        try {
            chain.proceed();
        } catch (CloseConnectionException clientGone) {
            exchange.outcome(Outcome.CLIENT_DISCONNECTED, "");
            throw clientGone;
        } catch (RuntimeException | Error failure) {
            ErrorResponses.write(response, failure, exchange);
        } finally {
            observer.finish(exchange, response.status().code());
        }
    }
}
