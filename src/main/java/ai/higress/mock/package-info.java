/**
 * A built-in mock of an OpenAI-compatible upstream. {@link ai.higress.mock.MockUpstream} serves
 * {@code /v1/chat/completions}, {@code /v1/embeddings} and {@code /v1/models} on its own Helidon socket, so requests
 * to it travel the real HTTP path: it is the gateway's zero-config {@code demo} provider, the upstream of server
 * tests, and (through {@link ai.higress.mock.MockUpstreamCommand}) a standalone server for benchmarks. Its answers are
 * deterministic (chat derived from the last user message, embeddings from a hash of each input), its pacing (time to
 * first token, time between tokens, extra latency) and its share of deliberate HTTP 500 failures are configured by
 * {@link ai.higress.mock.MockUpstreamConfig}, and it speaks the OpenAI wire format closely enough for the official
 * SDKs: JSON and server-sent-event replies, tool calls, usage, {@code n}, {@code max_tokens}, unit-vector embeddings
 * (float or base64), and the OpenAI error envelope for bad requests, bad keys and unknown models.
 */
package ai.higress.mock;
