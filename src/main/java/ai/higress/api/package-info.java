/**
 * The HTTP edge: thin ingress services (chat completions, Responses, models, sessions) that parse, delegate one call
 * and write, the chat pipeline they share, the filter that gives every request its id and
 * {@link ai.higress.observe.Exchange} and reports it when it ends, the API-key filter, and the single place where
 * failures are written as OpenAI error envelopes.
 */
package ai.higress.api;
