/**
 * The HTTP edge: thin ingress services (chat completions, Anthropic Messages, Responses, embeddings, models,
 * sessions) that parse, delegate one call and write, the chat pipeline they share, the filter that gives every request
 * its id and {@link ai.higress.observe.Exchange} (with the client's dialect, known from the path) and reports it when
 * it ends, the API-key filter, and the single place where failures are written as error envelopes in the client's
 * dialect (OpenAI's or Anthropic's).
 */
package ai.higress.api;
