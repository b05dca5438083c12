package ai.higress.config;

import io.helidon.config.Config;

/**
 * Size and count limits.
 *
 * @param maxRequestBytes   largest accepted client request body
 * @param maxResponseBytes  largest non-streaming upstream response body the gateway buffers
 * @param maxErrorBodyBytes how much of an upstream error body is read to classify it
 * @param maxSseLineBytes   longest single SSE line accepted from an upstream
 * @param maxAttempts       upstream attempts per request, the first included
 */
public record LimitsConfig(long maxRequestBytes, long maxResponseBytes, int maxErrorBodyBytes, int maxSseLineBytes,
                           int maxAttempts) {

    public static LimitsConfig create(Config node) {
        return new LimitsConfig(
                Nodes.size(node.get("max-request-bytes"), 10L * 1024 * 1024, 1024, 1024L * 1024 * 1024),
                Nodes.size(node.get("max-response-bytes"), 32L * 1024 * 1024, 1024, 1024L * 1024 * 1024),
                (int) Nodes.size(node.get("max-error-body-bytes"), 64 * 1024, 256, 16 * 1024 * 1024),
                (int) Nodes.size(node.get("max-sse-line-bytes"), 4 * 1024 * 1024, 1024, 64 * 1024 * 1024),
                Nodes.integer(node.get("max-attempts"), 3, 1, 10));
    }
}
