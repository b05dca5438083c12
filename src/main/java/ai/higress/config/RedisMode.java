package ai.higress.config;

/** How the gateway reaches Redis. */
public enum RedisMode {
    /** One server (or a managed endpoint that hides its replicas), by {@code redis.url}. */
    STANDALONE,
    /** A primary found through Redis Sentinel ({@code redis.sentinel.*}); fails over with it. */
    SENTINEL,
    /** A Redis Cluster, discovered from seed nodes ({@code redis.cluster.nodes}). */
    CLUSTER
}
