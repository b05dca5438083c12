/**
 * Test support for gateway server tests: {@link ai.higress.testing.ScriptedUpstream} is an in-process mock upstream
 * written on plain {@link java.net.ServerSocket}s (one virtual thread per connection, a small HTTP/1.1 parser) that
 * serves a script of {@link ai.higress.testing.Step}s, one per incoming request, with byte-level control over what
 * goes on the wire (delays, SSE {@link ai.higress.testing.Frame}s, stalls, truncation, resets), and records every
 * request ({@link ai.higress.testing.RecordedRequest}) so tests can assert exact upstream call counts and what the
 * gateway sent; {@link ai.higress.testing.OpenAiChunks} builds realistic OpenAI payloads for those scripts, and
 * {@link ai.higress.testing.OpenAiSchema} checks what the gateway writes in OpenAI's dialect against the official
 * OpenAPI schemas.
 */
package ai.higress.testing;
