/**
 * The gateway's one exception hierarchy. Every failure a client can see is a {@link ai.higress.error.GatewayException}
 * carrying the HTTP status, the OpenAI error type, the offending parameter and a machine-readable code; the
 * {@code api} package turns it into the client's error envelope in exactly one place, OpenAI's
 * ({@link ai.higress.error.ErrorEnvelope}) or Anthropic's ({@link ai.higress.error.AnthropicErrorEnvelope}, which
 * also maps statuses and types to Anthropic's). Upstream failures are an
 * {@link ai.higress.error.UpstreamException} that also carries the classified {@link ai.higress.error.ErrorKind},
 * which is all the failover policy looks at.
 */
package ai.higress.error;
