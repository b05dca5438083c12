/**
 * Google's Gemini API ({@code models/{model}:generateContent} and {@code :streamGenerateContent?alt=sse}) as an
 * upstream. Everything here is a pure translator between the canonical OpenAI chat form and Gemini's wire format:
 * {@link ai.higress.provider.gemini.GeminiRequest} maps every request parameter through an explicit table (translated,
 * deliberately not forwarded, or refused with a 400 naming the parameter: nothing is forwarded blindly),
 * {@link ai.higress.provider.gemini.GeminiResponse} and the stream translator turn candidates, thought parts, function
 * calls, finish reasons and usage metadata into OpenAI completions and chunks, and
 * {@link ai.higress.provider.gemini.GeminiErrors} classifies Google's error envelope, including its {@code RetryInfo}.
 * {@link ai.higress.provider.gemini.GeminiEmbeddingsAdapter} serves {@code /v1/embeddings} through
 * {@code models/{model}:batchEmbedContents}. The mapping tables are documented in docs/providers.md.
 */
package ai.higress.provider.gemini;
