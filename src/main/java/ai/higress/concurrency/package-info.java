/**
 * The providers' concurrency caps ({@code providers.<id>.max-concurrency}, and a key's own {@code max-concurrency}):
 * a lease per attempt in flight, taken before the attempt starts and released when it ends (a stream when its relay
 * ends). Caps below the default are held in Redis when the gateway has one, so the cap is global across replicas:
 * leases are members of a sorted set scored by their expiry, taken and pruned atomically by one Lua script, and
 * renewed by the replica that holds them, so a crashed replica's leases lapse. Without Redis, and for providers that
 * keep the default cap, the count lives in this process. A target at its cap is "busy": the attempt loop passes it
 * over without calling it.
 */
package ai.higress.concurrency;
