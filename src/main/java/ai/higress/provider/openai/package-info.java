/**
 * The OpenAI chat-completions protocol, which serves every OpenAI-compatible vendor (OpenAI, Azure OpenAI, DeepSeek,
 * Groq, Mistral, OpenRouter, Together, vLLM, Ollama) through configuration presets. Requests take the fast path: only
 * {@code model} (and, for streams, {@code stream_options}) is edited, every other parameter passes through as sent.
 * Responses API clients are relayed untouched to providers that serve {@code POST /responses} themselves
 * ({@code responses-api: true}, the default for the {@code openai} preset); other providers get the canonical chat
 * request, whose answer the Responses client codec translates.
 */
package ai.higress.provider.openai;
