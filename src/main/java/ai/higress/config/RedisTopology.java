package ai.higress.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

import io.helidon.config.Config;

/** Where the shared Redis is: one server, a Sentinel-managed primary, or a Cluster. */
public sealed interface RedisTopology {

    RedisMode mode();

    /** What logs and {@code /health} may show: addresses, never a password. */
    String description();

    /**
     * One server.
     *
     * @param url {@code redis://[user:password@]host:port[/db]} or {@code rediss://...} (TLS)
     */
    record Standalone(URI url) implements RedisTopology {
        @Override
        public RedisMode mode() {
            return RedisMode.STANDALONE;
        }

        @Override
        public String description() {
            return redact(url);
        }

        @Override
        public String toString() {
            return "Standalone[" + description() + "]";
        }
    }

    /**
     * A primary that Sentinel watches and fails over.
     *
     * @param masterName   the name the sentinels monitor it under
     * @param sentinels    sentinel addresses (any one that answers is enough)
     * @param auth         credentials of the primary (and its replicas)
     * @param sentinelAuth credentials of the sentinels themselves, when they require AUTH
     * @param database     database number on the primary
     * @param tls          TLS to the primary and the sentinels
     */
    record Sentinel(String masterName, List<RedisNode> sentinels, RedisAuth auth, RedisAuth sentinelAuth,
                    int database, boolean tls) implements RedisTopology {
        public Sentinel {
            sentinels = List.copyOf(sentinels);
        }

        @Override
        public RedisMode mode() {
            return RedisMode.SENTINEL;
        }

        @Override
        public String description() {
            return "sentinel " + masterName + "@" + sentinels;
        }
    }

    /**
     * A Redis Cluster. Every key a script touches shares one hash tag, so each script runs on one node.
     *
     * @param seeds       nodes to discover the cluster from (the rest is learned from them)
     * @param auth        credentials of the cluster nodes
     * @param tls         TLS to every node
     * @param maxAttempts tries per command across redirects and reconnects
     */
    record Cluster(List<RedisNode> seeds, RedisAuth auth, boolean tls, int maxAttempts) implements RedisTopology {
        public Cluster {
            seeds = List.copyOf(seeds);
        }

        @Override
        public RedisMode mode() {
            return RedisMode.CLUSTER;
        }

        @Override
        public String description() {
            return "cluster " + seeds;
        }
    }

    /** Reads the topology under {@code redis}; empty when no Redis is configured (standalone without a url). */
    static java.util.Optional<RedisTopology> create(Config redis) {
        RedisMode mode = Nodes.enumValue(redis.get("mode"), RedisMode.class, RedisMode.STANDALONE);
        return switch (mode) {
            case STANDALONE -> Nodes.optionalString(redis.get("url"))
                    .map(text -> new Standalone(parseUrl(Nodes.key(redis.get("url")), text)));
            case SENTINEL -> java.util.Optional.of(new Sentinel(
                    Nodes.requiredString(redis.get("sentinel.master-name")),
                    nodes(redis.get("sentinel.nodes")), auth(redis), auth(redis.get("sentinel")),
                    Nodes.integer(redis.get("database"), 0, 0, 15), Nodes.bool(redis.get("tls"), false)));
            case CLUSTER -> java.util.Optional.of(new Cluster(nodes(redis.get("cluster.nodes")), auth(redis),
                    Nodes.bool(redis.get("tls"), false), Nodes.integer(redis.get("cluster.max-attempts"), 3, 1, 20)));
        };
    }

    private static List<RedisNode> nodes(Config list) {
        List<RedisNode> nodes = new ArrayList<>();
        List<Config> items = Nodes.listItems(list);
        for (Config item : items) {
            nodes.add(RedisNode.parse(Nodes.key(item), Nodes.requiredString(item)));
        }
        if (nodes.isEmpty()) {
            throw new ConfigException(Nodes.key(list), "needs at least one host:port");
        }
        return nodes;
    }

    private static RedisAuth auth(Config node) {
        String password = Nodes.string(node.get("password"), "");
        String username = Nodes.string(node.get("username"), "");
        if (!username.isEmpty() && password.isEmpty()) {
            throw new ConfigException(Nodes.key(node.get("password")), "is required with a username");
        }
        return password.isEmpty() ? RedisAuth.NONE : new RedisAuth(username, Secret.of(password));
    }

    private static URI parseUrl(String key, String text) {
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

    /** The URL with any password replaced by {@code ***}. */
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
