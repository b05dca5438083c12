/**
 * Per-key rate limits: requests per minute and tokens per minute over sliding one-minute windows, checked atomically
 * in Redis (Lua) when several replicas share one, or in this process otherwise. {@link ai.higress.ratelimit.RateLimits}
 * applies them to callers, with the failure policy for an unreachable Redis; see docs/rate-limits.md.
 */
package ai.higress.ratelimit;
