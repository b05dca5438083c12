/**
 * The Gemini API ({@code generativelanguage.googleapis.com}). This package holds the embeddings adapter
 * ({@code batchEmbedContents}) and its error classification; the chat adapter joins it separately. Translators are
 * pure and I/O-free like every adapter: the gateway's upstream client carries the bytes.
 */
package ai.higress.provider.gemini;
