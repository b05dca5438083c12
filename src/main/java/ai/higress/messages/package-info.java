/**
 * The Anthropic Messages API as a client dialect. {@link ai.higress.messages.MessagesRequestParser} validates a
 * Messages request and translates it into the canonical (OpenAI chat) request, keeping the client's body untouched
 * for an upstream that speaks Messages itself; {@link ai.higress.messages.AnthropicMessagesCodec} turns canonical
 * answers, complete or streamed, back into Messages JSON and Messages events. Both are pure translators without I/O,
 * like the provider adapters; the upstream side of the same protocol lives in the provider packages.
 */
package ai.higress.messages;
