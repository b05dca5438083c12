package ai.higress.provider;

import java.util.Map;

/**
 * An HTTP request for an upstream, built by an adapter.
 *
 * @param path    path and query relative to the provider's base URL, starting with '/'
 * @param headers headers to send (credentials included); nothing from the client is forwarded implicitly
 * @param body    the request body
 * @param stream  whether the response is expected as server-sent events
 */
public record UpstreamRequest(String path, Map<String, String> headers, byte[] body, boolean stream) {

    public UpstreamRequest {
        headers = Map.copyOf(headers);
    }
}
