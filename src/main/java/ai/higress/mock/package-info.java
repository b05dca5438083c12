/**
 * A built-in mock of the upstreams the gateway speaks to. {@link ai.higress.mock.MockUpstream} serves, on its own
 * Helidon socket, OpenAI ({@code /v1/chat/completions}, {@code /v1/embeddings}, {@code /v1/models}), Anthropic
 * Messages ({@code /v1/messages}) and Gemini ({@code /v1beta/models/{model}:generateContent} and
 * {@code :streamGenerateContent?alt=sse}), so requests to it travel the real HTTP path: it is the gateway's zero-config
 * demo providers, the upstream of server tests, and (through {@link ai.higress.mock.MockUpstreamCommand}) a standalone
 * server for benchmarks. Its answers are deterministic and the same in every protocol (chat derived from the last user
 * message, embeddings from a hash of each input); its pacing (time to first token, time between tokens, extra
 * latency) and its share of deliberate HTTP 500 failures, drawn from one seeded sequence for all protocols, are
 * configured by {@link ai.higress.mock.MockUpstreamConfig}. It speaks each wire format closely enough for the official
 * SDKs and the gateway's adapters: JSON and server-sent-event replies in each protocol's event sequence, forced tool
 * calls, usage, token limits, several choices, each protocol's key header, and each vendor's error envelope for bad
 * requests, bad keys and unknown models.
 */
package ai.higress.mock;
