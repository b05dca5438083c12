package ai.higress.testing;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One accepted socket of {@link ScriptedUpstream}: a buffered reader with a minimal HTTP/1.1 request parser, the
 * output stream, and a way to wait while noticing that the client went away.
 */
final class UpstreamConnection {

    /** The request could not be parsed; the connection answers 400 and closes. */
    static final class BadRequestException extends IOException {
        BadRequestException(String message) {
            super(message);
        }
    }

    /** A parsed request plus the protocol details needed to decide about keep-alive. */
    record Parsed(RecordedRequest request, String version) {
        boolean keepAlive() {
            String connection = String.join(",", request.headers().getOrDefault("connection", List.of()))
                    .toLowerCase(Locale.ROOT);
            if (connection.contains("close")) {
                return false;
            }
            return !"HTTP/1.0".equals(version) || connection.contains("keep-alive");
        }
    }

    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 200;
    private static final long MAX_BODY = 64L * 1024 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int idleTimeoutMillis;
    private byte[] buf = new byte[8192];
    private int pos;
    private int lim;

    UpstreamConnection(Socket socket, int idleTimeoutMillis) throws IOException {
        this.socket = socket;
        this.idleTimeoutMillis = idleTimeoutMillis;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(idleTimeoutMillis);
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    OutputStream out() {
        return out;
    }

    // ---------------------------------------------------------------- reading

    /** Reads more bytes into the buffer; false on EOF. */
    private boolean fill() throws IOException {
        if (pos > 0 && pos == lim) {
            pos = 0;
            lim = 0;
        }
        if (lim == buf.length) {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            } else {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            return false;
        }
        lim += n;
        return true;
    }

    /** A line without its LF / CRLF; null on EOF before the first byte; EOFException on EOF mid-line. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (pos == lim && !fill()) {
                if (line.size() == 0) {
                    return null;
                }
                throw new EOFException("EOF in the middle of a line");
            }
            byte b = buf[pos++];
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            line.write(b);
            if (line.size() > MAX_LINE) {
                throw new BadRequestException("line too long");
            }
        }
    }

    private String requireLine() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new EOFException("EOF inside a request");
        }
        return line;
    }

    private void readExactly(long n, ByteArrayOutputStream sink) throws IOException {
        long remaining = n;
        while (remaining > 0) {
            if (pos == lim && !fill()) {
                throw new EOFException("EOF inside a request body, " + remaining + " bytes missing");
            }
            int take = (int) Math.min(remaining, lim - pos);
            sink.write(buf, pos, take);
            pos += take;
            remaining -= take;
        }
    }

    /**
     * Reads one complete request (head and body). Returns null if the client closed the connection cleanly before
     * sending anything. Answers {@code Expect: 100-continue} with an interim 100 before reading the body.
     */
    Parsed readRequest() throws IOException {
        String requestLine;
        do {
            requestLine = readLine();
            if (requestLine == null) {
                return null;
            }
        } while (requestLine.isEmpty());
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequestException("bad request line: " + requestLine);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String lastName = null;
        for (int count = 0; ; count++) {
            String line = requireLine();
            if (line.isEmpty()) {
                break;
            }
            if (count > MAX_HEADERS) {
                throw new BadRequestException("too many headers");
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && lastName != null) {
                List<String> values = headers.get(lastName);
                int last = values.size() - 1;
                values.set(last, (values.get(last) + " " + line.strip()).strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new BadRequestException("bad header line: " + line);
            }
            lastName = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(lastName, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }

        boolean expectContinue = headers.getOrDefault("expect", List.of()).stream()
                .anyMatch(v -> v.equalsIgnoreCase("100-continue"));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean chunked = headers.getOrDefault("transfer-encoding", List.of()).stream()
                .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"));
        List<String> lengths = headers.getOrDefault("content-length", List.of());
        if (chunked) {
            continueIfExpected(expectContinue);
            readChunkedBody(body);
        } else if (!lengths.isEmpty()) {
            long length;
            try {
                length = Long.parseLong(lengths.getFirst().strip());
            } catch (NumberFormatException e) {
                throw new BadRequestException("bad content-length: " + lengths);
            }
            if (length < 0 || length > MAX_BODY || lengths.stream().anyMatch(l -> !l.strip().equals(lengths.getFirst().strip()))) {
                throw new BadRequestException("bad content-length: " + lengths);
            }
            if (length > 0) {
                continueIfExpected(expectContinue);
            }
            readExactly(length, body);
        }
        return new Parsed(new RecordedRequest(parts[0], parts[1], headers, body.toByteArray()), parts[2]);
    }

    private void continueIfExpected(boolean expectContinue) throws IOException {
        if (expectContinue) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    private void readChunkedBody(ByteArrayOutputStream body) throws IOException {
        while (true) {
            String sizeLine = requireLine();
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new BadRequestException("bad chunk size line: " + sizeLine);
            }
            if (size < 0 || body.size() + size > MAX_BODY) {
                throw new BadRequestException("bad chunk size: " + sizeLine);
            }
            if (size == 0) {
                // trailer section, discarded
                while (!requireLine().isEmpty()) {
                    // skip
                }
                return;
            }
            readExactly(size, body);
            if (!requireLine().isEmpty()) {
                throw new BadRequestException("chunk data not followed by CRLF");
            }
        }
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Waits {@code delay} while watching the socket: returns true once the delay elapsed, false as soon as the peer
     * closed or reset the connection (or the socket was closed locally). Bytes that arrive meanwhile are kept for the
     * next request. Never returns true before the full delay has elapsed.
     */
    boolean pause(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        try {
            while (true) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return true;
                }
                long millis = Math.max(1, (remaining + 999_999) / 1_000_000);
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, millis));
                try {
                    if (!fill()) {
                        return false;
                    }
                } catch (SocketTimeoutException timeout) {
                    // the wait is over unless the clock says otherwise; loop re-checks
                }
            }
        } catch (IOException e) {
            return false;
        } finally {
            try {
                socket.setSoTimeout(idleTimeoutMillis);
            } catch (SocketException ignored) {
                // socket already closed
            }
        }
    }

    // ---------------------------------------------------------------- closing

    /** Flushes, sends FIN and closes (the client sees a clean EOF wherever the response stands). */
    void closeGracefully() {
        try {
            out.flush();
            socket.shutdownOutput();
        } catch (IOException ignored) {
            // the peer may already be gone
        }
        closeQuietly();
    }

    /** Closes with SO_LINGER 0 so the kernel sends a TCP RST. */
    void reset() {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // already closed
        }
        closeQuietly();
    }

    void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
