/**
 * The protocol matrix's two sides, for {@code ai.higress.ProtocolMatrixServerTest}: a {@link ai.higress.matrix.Client}
 * per ingress dialect (builds that dialect's requests, reads its answers, streams and errors strictly into one
 * normalised {@link ai.higress.matrix.Answer}) and an {@link ai.higress.matrix.Upstream} per upstream protocol (scripts
 * that protocol's hand-written answers from {@code fixtures/matrix/} and reads what the gateway sent it into one
 * normalised {@link ai.higress.matrix.Sent}). Every pairing is then asserted on the normalised values, so a new
 * dialect is one class on either side.
 */
package ai.higress.matrix;
