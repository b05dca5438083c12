/**
 * The provider adapter SPI. An adapter is a stateless, I/O-free translator between the canonical records and one
 * wire protocol: it builds the upstream request, reads the upstream response, translates a stream event by event and
 * classifies upstream errors into an {@link ai.higress.error.ErrorKind}. All network I/O happens in the
 * {@code upstream} package. One sub-package per protocol.
 */
package ai.higress.provider;
