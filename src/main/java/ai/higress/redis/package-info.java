/**
 * The connection to the shared store: one pooled Jedis client per gateway, Lua scripts run by digest (EVALSHA, EVAL
 * on NOSCRIPT), latency and errors reported to a listener, and a ping for readiness. Rate limits are its first user;
 * sessions, the model catalog and shared health will use the same store.
 */
package ai.higress.redis;
