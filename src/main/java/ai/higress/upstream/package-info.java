/**
 * All network I/O towards providers: one {@link ai.higress.upstream.UpstreamClient} per provider over Helidon's
 * blocking WebClient (redirects off, explicit connect and read timeouts, a per-provider concurrency limit), bounded
 * body reads, and the {@link ai.higress.upstream.Watchdog} that enforces time-to-first-token, idle and total deadlines
 * by closing a response whose reader is blocked. Headers sent upstream are built from the target alone, so the
 * client's credentials and hop-by-hop headers never travel upstream.
 */
package ai.higress.upstream;
