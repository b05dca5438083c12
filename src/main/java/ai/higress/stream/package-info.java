/**
 * Server-sent events: one reader that turns any provider's byte stream into events (CRLF, CR and LF line ends,
 * comments, multi-line data, reads split anywhere), one writer that frames and flushes events to the client, and the
 * relay that moves a translated upstream stream to the client with its commit point, timeouts and error events.
 */
package ai.higress.stream;
