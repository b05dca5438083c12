package ai.higress.api;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import io.helidon.webserver.CloseConnectionException;

/**
 * The client's response body. Helidon reports a client that hung up as an unchecked
 * {@link CloseConnectionException}; this turns it into the {@link IOException} the stream relay expects, so the relay
 * needs no knowledge of the server.
 */
final class ClientOutputStream extends OutputStream {
    private final OutputStream delegate;

    ClientOutputStream(OutputStream delegate) {
        this.delegate = delegate;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            delegate.write(b);
        } catch (CloseConnectionException | UncheckedIOException e) {
            throw new IOException("client connection closed", e);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        try {
            delegate.write(bytes, offset, length);
        } catch (CloseConnectionException | UncheckedIOException e) {
            throw new IOException("client connection closed", e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            delegate.flush();
        } catch (CloseConnectionException | UncheckedIOException e) {
            throw new IOException("client connection closed", e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            delegate.close();
        } catch (CloseConnectionException | UncheckedIOException e) {
            throw new IOException("client connection closed", e);
        }
    }
}
