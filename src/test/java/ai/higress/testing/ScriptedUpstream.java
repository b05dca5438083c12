package ai.higress.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A scripted, fault-injecting mock upstream for server tests, on plain sockets with one virtual thread per connection.
 *
 * <p>Every incoming request (any method and path) is read completely and recorded, then answered by the next
 * {@link #enqueue(Step) enqueued} step, or by the {@link #otherwise(Step) fallback} step once the queue is empty
 * (by default a 500 with an OpenAI {@code server_error} envelope). Connections are kept alive across requests until the
 * client closes them, sends {@code Connection: close}, or a step closes them.
 *
 * <pre>{@code
 * try (var upstream = ScriptedUpstream.start()) {
 *     upstream.enqueue(Step.json(429, OpenAiChunks.errorEnvelope("slow down", "rate_limit_exceeded", null)))
 *             .enqueue(Step.sse(OpenAiChunks.streamOf("gpt-4o", List.of("Hel", "lo"), true)));
 *     // point the gateway at upstream.baseUri(), drive it ...
 *     assertEquals(2, upstream.callCount());
 *     assertEquals("gpt-4o", upstream.lastRequest().json().get("model").asText());
 * }
 * }</pre>
 *
 * <p>All waits inside steps end as soon as the client closes the connection or {@link #close()} is called.
 * Expected disconnects are not logged above DEBUG.
 */
public final class ScriptedUpstream implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ScriptedUpstream.class.getName());
    private static final int IDLE_TIMEOUT_MILLIS = 30_000;
    private static final byte[] CRLF = {'\r', '\n'};

    private final ServerSocket server;
    private final ExecutorService threads;
    private final Set<UpstreamConnection> open = ConcurrentHashMap.newKeySet();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Step> script = new ArrayDeque<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private Step fallback = Step.json(500, OpenAiChunks.errorEnvelope(
            "ScriptedUpstream: no step enqueued for this request", "server_error", null));
    private int connections;
    private int abandonedStreams;
    private volatile boolean closed;

    private ScriptedUpstream(ServerSocket server) {
        this.server = server;
        this.threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("scripted-upstream-", 0).factory());
        threads.execute(this::acceptLoop);
    }

    /** Starts a server on 127.0.0.1 with an ephemeral port. */
    public static ScriptedUpstream start() {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
            return new ScriptedUpstream(server);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start ScriptedUpstream", e);
        }
    }

    /** {@code http://127.0.0.1:<port>/v1}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port() + "/v1");
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Appends a step; steps are consumed in order, one per incoming request. */
    public ScriptedUpstream enqueue(Step step) {
        Objects.requireNonNull(step, "step");
        lock.lock();
        try {
            script.addLast(step);
        } finally {
            lock.unlock();
        }
        return this;
    }

    /** The step served whenever the queue is empty. */
    public ScriptedUpstream otherwise(Step step) {
        Objects.requireNonNull(step, "step");
        lock.lock();
        try {
            fallback = step;
        } finally {
            lock.unlock();
        }
        return this;
    }

    /** Requests received so far. */
    public int callCount() {
        lock.lock();
        try {
            return requests.size();
        } finally {
            lock.unlock();
        }
    }

    /** Every request received so far, in arrival order (a snapshot). */
    public List<RecordedRequest> requests() {
        lock.lock();
        try {
            return List.copyOf(requests);
        } finally {
            lock.unlock();
        }
    }

    /** The most recent request; {@link AssertionError} if none arrived. */
    public RecordedRequest lastRequest() {
        lock.lock();
        try {
            if (requests.isEmpty()) {
                throw new AssertionError("ScriptedUpstream received no request");
            }
            return requests.getLast();
        } finally {
            lock.unlock();
        }
    }

    /** Steps still waiting in the queue. */
    public int pendingSteps() {
        lock.lock();
        try {
            return script.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops the steps still waiting, so a server shared by several tests starts each from an empty script even when
     * an earlier test failed before its upstream was called.
     */
    public ScriptedUpstream clearScript() {
        lock.lock();
        try {
            script.clear();
        } finally {
            lock.unlock();
        }
        return this;
    }

    /** TCP connections accepted so far (to assert connection reuse). */
    public int connectionCount() {
        lock.lock();
        try {
            return connections;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Connections currently open on the server side, idle keep-alive ones included (to assert that the client went
     * away, e.g. the gateway aborted an upstream call whose caller disconnected).
     */
    public int openConnections() {
        return open.size();
    }

    /** Waits until at least {@code n} requests arrived; false on timeout. */
    public boolean awaitCallCount(int n, Duration timeout) {
        return await(() -> requests.size() >= n, timeout);
    }

    /**
     * True once the client side of a streaming step's connection was closed (detected by a failed write or EOF while
     * the step was still streaming). Writes into the socket buffer can succeed after the client left, so a short
     * stream with no waits may complete without noticing; put a stall or a delay after the point of interest.
     */
    public boolean awaitStreamAbandoned(Duration timeout) {
        return await(() -> abandonedStreams > 0, timeout);
    }

    private boolean await(java.util.function.BooleanSupplier condition, Duration timeout) {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the server socket and every open connection, and waits (bounded) for the connection threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(UpstreamConnection::closeQuietly);
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "ScriptedUpstream threads did not stop within 5s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ScriptedUpstream[" + baseUri() + ", calls=" + callCount() + "]";
    }

    // ------------------------------------------------------------------ server side

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "ScriptedUpstream accept failed", e);
                }
                return;
            }
            lock.lock();
            try {
                connections++;
            } finally {
                lock.unlock();
            }
            try {
                threads.execute(() -> serve(socket));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closeQuietly(socket);
                return;
            }
        }
    }

    private void serve(Socket socket) {
        UpstreamConnection conn;
        try {
            conn = new UpstreamConnection(socket, IDLE_TIMEOUT_MILLIS);
        } catch (IOException e) {
            closeQuietly(socket);
            return;
        }
        open.add(conn);
        try {
            if (closed) {
                return;
            }
            while (!closed) {
                UpstreamConnection.Parsed parsed;
                try {
                    parsed = conn.readRequest();
                } catch (UpstreamConnection.BadRequestException e) {
                    LOG.log(System.Logger.Level.WARNING, "ScriptedUpstream got a malformed request: " + e.getMessage());
                    writeFixed(conn, 400, "text/plain", e.getMessage(), Map.of(), false);
                    conn.closeGracefully();
                    return;
                }
                if (parsed == null) {
                    return; // client closed an idle connection
                }
                Step step = record(parsed.request());
                if (!perform(step, conn, parsed.keepAlive())) {
                    return;
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "ScriptedUpstream connection ended: " + e);
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.log(System.Logger.Level.WARNING, "ScriptedUpstream connection failed", e);
            }
        } finally {
            open.remove(conn);
            conn.closeQuietly();
        }
    }

    private Step record(RecordedRequest request) {
        lock.lock();
        try {
            requests.add(request);
            Step step = script.pollFirst();
            changed.signalAll();
            return step != null ? step : fallback;
        } finally {
            lock.unlock();
        }
    }

    private void markAbandoned() {
        if (closed) {
            return;
        }
        lock.lock();
        try {
            abandonedStreams++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Performs a step; true if the connection may serve another request. */
    private boolean perform(Step step, UpstreamConnection conn, boolean keepAlive) throws IOException {
        return switch (step) {
            case Step.Respond r -> writeFixed(conn, r.status(), r.contentType(), r.body(), r.headers(), keepAlive);
            case Step.Delayed d -> conn.pause(d.delay()) && !closed && perform(d.then(), conn, keepAlive);
            case Step.Sse s -> stream(conn, s.frames(), keepAlive);
            case Step.Reset r -> {
                conn.reset();
                yield false;
            }
            case Step.CloseAfterHeaders c -> {
                Map<String, String> head = new LinkedHashMap<>();
                head.put("Content-Type", c.contentType());
                head.put("Transfer-Encoding", "chunked");
                writeHead(conn.out(), c.status(), head);
                conn.closeGracefully();
                yield false;
            }
        };
    }

    private static boolean writeFixed(UpstreamConnection conn, int status, String contentType, String body,
                                      Map<String, String> extra, boolean keepAlive) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> head = new LinkedHashMap<>();
        head.put("Content-Type", contentType);
        head.put("Content-Length", Integer.toString(bytes.length));
        if (!keepAlive) {
            head.put("Connection", "close");
        }
        mergeHeaders(head, extra);
        OutputStream out = conn.out();
        writeHead(out, status, head);
        out.write(bytes);
        out.flush();
        boolean stayOpen = keepAlive && head.entrySet().stream()
                .noneMatch(e -> e.getKey().equalsIgnoreCase("connection")
                        && e.getValue().toLowerCase(Locale.ROOT).contains("close"));
        if (!stayOpen) {
            conn.closeGracefully();
        }
        return stayOpen;
    }

    private boolean stream(UpstreamConnection conn, List<Frame> frames, boolean keepAlive) {
        OutputStream out = conn.out();
        try {
            Map<String, String> head = new LinkedHashMap<>();
            head.put("Content-Type", "text/event-stream");
            head.put("Cache-Control", "no-cache");
            head.put("Transfer-Encoding", "chunked");
            if (!keepAlive) {
                head.put("Connection", "close");
            }
            writeHead(out, 200, head);
            out.flush();
            for (Frame frame : frames) {
                if (!frame.delayBefore().isZero() && !conn.pause(frame.delayBefore())) {
                    markAbandoned();
                    return false;
                }
                if (closed) {
                    return false;
                }
                if (frame.truncates()) {
                    conn.closeGracefully();
                    return false;
                }
                if (!frame.raw().isEmpty()) {
                    byte[] bytes = frame.raw().getBytes(StandardCharsets.UTF_8);
                    out.write(Integer.toHexString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                    out.write(CRLF);
                    out.write(bytes);
                    out.write(CRLF);
                    out.flush();
                }
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "ScriptedUpstream stream abandoned by the client: " + e);
            markAbandoned();
            return false;
        }
        if (!keepAlive) {
            conn.closeGracefully();
        }
        return keepAlive;
    }

    private static void mergeHeaders(Map<String, String> head, Map<String, String> extra) {
        extra.forEach((name, value) -> {
            head.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            head.put(name, value);
        });
    }

    private static void writeHead(OutputStream out, int status, Map<String, String> headers) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        headers.forEach((name, value) -> sb.append(name).append(": ").append(value).append("\r\n"));
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 529 -> "Site Overloaded";
            default -> "Status " + status;
        };
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
