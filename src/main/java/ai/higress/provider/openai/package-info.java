/**
 * The OpenAI chat-completions protocol, which serves every OpenAI-compatible vendor (OpenAI, Azure OpenAI, DeepSeek,
 * Groq, Mistral, OpenRouter, Together, vLLM, Ollama) through configuration presets. Requests take the fast path: only
 * {@code model} (and, for streams, {@code stream_options}) is edited, every other parameter passes through as sent.
 */
package ai.higress.provider.openai;
