package ai.higress.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * The shared store. Without {@code redis.url} every piece of shared state stays in this process (one node).
 *
 * @param url            {@code redis://[user:password@]host:port[/db]} or {@code rediss://...}; empty = no Redis
 * @param poolSize       connections in the pool (Jedis' default of 8 throttles at a few dozen concurrent requests)
 * @param timeout        connect and socket timeout of each Redis call
 * @param requestsPolicy what the requests-per-minute limit does when Redis is unreachable
 * @param tokensPolicy   what the tokens-per-minute limit does when Redis is unreachable
 */
public record RedisConfig(Optional<URI> url, int poolSize, Duration timeout, FailurePolicy requestsPolicy,
                          FailurePolicy tokensPolicy) {
    public static final RedisConfig NONE = new RedisConfig(Optional.empty(), 64, Duration.ofMillis(500),
            FailurePolicy.FAIL_OPEN, FailurePolicy.FAIL_OPEN);

    public static RedisConfig create(Config node) {
        Optional<URI> url = Nodes.optionalString(node.get("url")).map(text -> parse(Nodes.key(node.get("url")), text));
        Duration timeout = Nodes.duration(node.get("timeout"), NONE.timeout());
        if (timeout.toMillis() > Integer.MAX_VALUE || timeout.toMillis() < 1) {
            throw new ConfigException(Nodes.key(node.get("timeout")), "must be between 1 ms and 24 days");
        }
        return new RedisConfig(url, Nodes.integer(node.get("pool-size"), NONE.poolSize(), 1, 4096), timeout,
                Nodes.enumValue(node.get("failure-policy.requests"), FailurePolicy.class, FailurePolicy.FAIL_OPEN),
                Nodes.enumValue(node.get("failure-policy.tokens"), FailurePolicy.class, FailurePolicy.FAIL_OPEN));
    }

    public boolean enabled() {
        return url.isPresent();
    }

    /** The URL with any password replaced by {@code ***}: the only form that may be logged or printed. */
    public String redactedUrl() {
        return url.map(RedisConfig::redact).orElse("");
    }

    @Override
    public String toString() {
        return "RedisConfig[url=" + redactedUrl() + ", poolSize=" + poolSize + ", timeout=" + timeout
                + ", requestsPolicy=" + requestsPolicy + ", tokensPolicy=" + tokensPolicy + "]";
    }

    private static URI parse(String key, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException(key, "is not a valid URL (expected redis://host:port)");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("redis") || uri.getScheme().equals("rediss"))
                || uri.getHost() == null) {
            throw new ConfigException(key, "expected redis://host:port or rediss://host:port, was '"
                    + redact(uri) + "'");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (!path.isEmpty() && !path.equals("/") && !path.matches("/\\d{1,2}")) {
            throw new ConfigException(key, "the path may only name a database number (/0 .. /15)");
        }
        return uri;
    }

    static String redact(URI uri) {
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return uri.toString();
        }
        int colon = userInfo.indexOf(':');
        String shown = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
        return uri.toString().replace(userInfo + "@", shown + "@");
    }
}
