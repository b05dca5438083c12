/**
 * The OpenAI Responses API as a client dialect. {@link ai.higress.responses.ResponsesRequests} validates a request
 * against an explicit parameter table and turns it into the canonical chat request (input items into messages, tools,
 * text format, reasoning effort); {@link ai.higress.responses.ResponsesCodec} answers in Responses form, a completion
 * as a Response object and a chunk stream as the Responses event sequence. {@link ai.higress.responses.StoredResponses}
 * keeps finished responses with their conversation, per caller key, in Redis or in this process, for
 * {@code GET /v1/responses/{id}}, its {@code input_items} and {@code previous_response_id}. Relaying Responses to an
 * upstream that speaks them natively is the OpenAI adapter's business, not this package's.
 */
package ai.higress.responses;
