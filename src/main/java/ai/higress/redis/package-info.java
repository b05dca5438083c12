/**
 * The connection to the shared store and what travels through it: one pooled Jedis client per gateway over a
 * standalone Redis, a Sentinel-managed primary or a Redis Cluster (all three a {@code UnifiedJedis}), Lua scripts run
 * by digest (EVALSHA, EVAL on NOSCRIPT) with every script's keys in one hash slot, latency and errors reported to a
 * listener, a ping for readiness, and shared health (circuit opens and closes published between replicas). Rate
 * limits, sessions, the model catalog and the providers' concurrency caps use the same store.
 */
package ai.higress.redis;
