/*
 * AI-Higress Gateway benchmark load generator.
 *
 * Single-file, JDK-only program. Run it with the source launcher (JDK 21+; JDK 25 recommended):
 *
 *   $JAVA_HOME/bin/java bench/LoadGen.java chat         --url http://127.0.0.1:18080/v1 --key sk-... --model bench
 *   $JAVA_HOME/bin/java bench/LoadGen.java stream       --url http://127.0.0.1:18080/v1 --key sk-... --model bench
 *   $JAVA_HOME/bin/java bench/LoadGen.java open-streams --url http://127.0.0.1:18080/v1 --key sk-... --streams 1000
 *
 * See bench/README.md for what each mode measures and how to read the output. Run with --help for all options.
 *
 * --protocol chat|messages|responses|gemini picks the wire format of the requests and of the streams it reads (OpenAI
 * chat completions, Anthropic Messages, OpenAI Responses, Gemini generateContent).
 *
 * Default client: a minimal raw-socket HTTP/1.1 client (one keep-alive connection per worker, Content-Length,
 * chunked and read-until-close bodies), precomputed request bytes, zero-copy SSE line parsing. `--client jdk`
 * switches to java.net.http.HttpClient for comparison. Only loopback targets are accepted.
 */

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

public class LoadGen {

    // ------------------------------------------------------------------------------------------------ options

    static final class Opts {
        String mode;
        String protocol = "chat";
        String url = "http://127.0.0.1:18080/v1";
        String key = "";
        String model = "bench";
        int concurrency = 64;
        Duration warmup = Duration.ofSeconds(5);
        Duration duration = Duration.ofSeconds(20);
        int streams = 1000;
        Duration ramp = Duration.ofSeconds(1);
        Duration timeout = Duration.ofSeconds(60);
        int maxTokens = 32;
        String label;
        String client = "raw";
        String threads = "auto";
        String prompt = "Say hello to the benchmark.";
        String warmupModel;          // chat/stream: model sent during the warm-up (default: --model)
        // routing statistics (chat/stream): see bench/README.md, "Routing scenario"
        String providerHeader;       // response header naming the provider that served (x-higress-provider)
        String attemptsHeader;       // response header with the number of upstream attempts (x-higress-attempts)
        String failingProvider;      // a retried request's first attempt is counted for this provider
        List<String> providers = List.of();  // column order of the per-second table
        String control;              // file polled for "phase NAME" / "stop" lines
        String phase = "main";       // name of the first phase
        String watch;                // provider whose share is tracked against --below / --above
        double below = 5, above = 20;
        Duration bucket = Duration.ofSeconds(1);

        boolean routing() {
            return providerHeader != null || attemptsHeader != null || control != null;
        }
    }

    static final String USAGE = """
            usage: java bench/LoadGen.java MODE [options]
              MODE                  chat | stream | open-streams
              --protocol P          chat (default) | messages | responses | gemini: the request body, the
                                    path under --url, the key header and how a stream is read
                                    (chat completions, Anthropic Messages, OpenAI Responses, Gemini)
              --url URL             base URL (http://127.0.0.1:PORT/v1, .../v1beta for gemini) or the full
                                    endpoint URL (default http://127.0.0.1:18080/v1); loopback hosts only
              --key KEY             API key, sent as 'Authorization: Bearer KEY' (chat, responses),
                                    'x-api-key' (messages) or 'x-goog-api-key' (gemini) (default: none)
              --model NAME          model name in the request (default bench)
              --concurrency C       closed-loop connections for chat/stream (default 64)
              --warmup DUR          warm-up period, not measured (default PT5S)
              --duration DUR        measured period (default PT20S)
              --streams N           open-streams: number of concurrent streams (default 1000)
              --ramp DUR            open-streams: spread stream starts over this period (default PT1S)
              --timeout DUR         per-request deadline, also bounds the whole run (default PT60S)
              --max-tokens N        max_tokens sent in the request, 0 = omit (default 32)
              --label TEXT          label echoed in the RESULT line (default MODE)
              --warmup-model NAME   chat/stream: send this model during the warm-up instead of --model
                                    (warms client, connections and server without touching --model)
              --client raw|jdk      raw-socket HTTP/1.1 client (default) or java.net.http.HttpClient
              --threads auto|virtual|platform   worker threads; auto (default) = platform threads for
                                    chat/stream (measured: less client CPU and jitter than virtual
                                    threads for a few dozen blocking sockets), virtual for open-streams
            routing statistics (chat/stream only; any of them turns on per-phase and per-second reports):
              --provider-header H   tally response header H (e.g. x-higress-provider) per phase and second
              --attempts-header H   read the attempt count from header H (default with --provider-header:
                                    x-higress-attempts); a request with more than one attempt is "retried"
              --failing-provider P  count a retried request's first attempt for provider P (true when P is
                                    the only provider that fails); the table then shows first attempts
              --providers a,b,c     column order of the per-second table (others follow by name)
              --control FILE        poll FILE for lines "phase NAME" (a new phase starts now) and "stop"
                                    (end the run now); --duration stays the upper bound
              --phase NAME          name of the first phase (default main)
              --watch P             report when P's share first drops below --below PCT (default 5) and
                                    rises above --above PCT (default 20), per phase
              --bucket DUR          width of the table's time buckets (default 1s)
              DUR is ISO-8601 (PT20S, PT0.5S) or a short form (20s, 500ms, 2m).
            """;

    static Opts parse(String[] args) {
        Opts o = new Opts();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (!a.startsWith("--")) {
                if (o.mode != null) die("unexpected argument: " + a);
                o.mode = a;
                continue;
            }
            String name = a.substring(2);
            String val;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                val = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= args.length) die("missing value for --" + name);
                val = args[++i];
            }
            switch (name) {
                case "mode" -> o.mode = val;
                case "protocol" -> o.protocol = val;
                case "url" -> o.url = val;
                case "key" -> o.key = val;
                case "model" -> o.model = val;
                case "concurrency", "c" -> o.concurrency = posInt(name, val);
                case "warmup" -> o.warmup = dur(val);
                case "duration" -> o.duration = dur(val);
                case "streams" -> o.streams = posInt(name, val);
                case "ramp" -> o.ramp = dur(val);
                case "timeout" -> o.timeout = dur(val);
                case "max-tokens" -> o.maxTokens = Integer.parseInt(val);
                case "label" -> o.label = val;
                case "client" -> o.client = val;
                case "threads" -> o.threads = val;
                case "prompt" -> o.prompt = val;
                case "warmup-model" -> o.warmupModel = val;
                case "provider-header" -> o.providerHeader = val.trim().toLowerCase(Locale.ROOT);
                case "attempts-header" -> o.attemptsHeader = val.trim().toLowerCase(Locale.ROOT);
                case "failing-provider" -> o.failingProvider = val.trim();
                case "providers" -> o.providers = Arrays.stream(val.split(",")).map(String::trim)
                        .filter(x -> !x.isEmpty()).toList();
                case "control" -> o.control = val;
                case "phase" -> o.phase = val.trim().replaceAll("\\s+", "_");
                case "watch" -> o.watch = val.trim();
                case "below" -> o.below = Double.parseDouble(val);
                case "above" -> o.above = Double.parseDouble(val);
                case "bucket" -> o.bucket = dur(val);
                default -> die("unknown option --" + name);
            }
        }
        if (o.mode == null) die("missing MODE");
        if (!List.of("chat", "stream", "open-streams").contains(o.mode)) die("unknown mode " + o.mode);
        if (!List.of("raw", "jdk").contains(o.client)) die("--client must be raw or jdk");
        if (!List.of("chat", "messages", "responses", "gemini").contains(o.protocol)) {
            die("--protocol must be chat, messages, responses or gemini");
        }
        if (!List.of("auto", "virtual", "platform").contains(o.threads)) die("--threads must be auto, virtual or platform");
        if (o.concurrency > 10_000 || o.streams > 50_000) die("concurrency/streams too large");
        if (o.duration.isZero() || o.duration.isNegative()) die("--duration must be > 0");
        if (o.timeout.isZero() || o.timeout.isNegative()) die("--timeout must be > 0");
        if (o.warmup.isNegative() || o.ramp.isNegative()) die("--warmup/--ramp must be >= 0");
        if (o.providerHeader != null && o.attemptsHeader == null) o.attemptsHeader = "x-higress-attempts";
        if (o.routing() && o.mode.equals("open-streams")) {
            die("--provider-header/--attempts-header/--control apply to chat and stream only");
        }
        if (o.bucket.toMillis() < 100) die("--bucket must be >= 100ms");
        if (o.phase.isEmpty()) die("--phase must not be empty");
        if (o.threads.equals("auto")) o.threads = o.mode.equals("open-streams") ? "virtual" : "platform";
        if (o.label == null) o.label = o.mode;
        o.label = o.label.replaceAll("\\s+", "_");
        return o;
    }

    static int posInt(String name, String v) {
        int n = Integer.parseInt(v);
        if (n <= 0) die("--" + name + " must be > 0");
        return n;
    }

    static Duration dur(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) return Duration.parse(v.trim().toUpperCase(Locale.ROOT));
            if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            if (s.endsWith("s")) return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            if (s.endsWith("m")) return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000));
            return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        } catch (RuntimeException e) {
            die("bad duration: " + v);
            return null;
        }
    }

    static void die(String msg) {
        System.err.println("LoadGen: " + msg);
        System.err.print(USAGE);
        System.exit(2);
    }

    // ------------------------------------------------------------------------------------------------ target

    /** Resolved endpoint plus the request bytes / objects prepared once for the whole run. */
    static final class Target {
        final URI uri;
        final InetSocketAddress addr;
        final byte[] chatReq;
        final byte[] streamReq;
        final byte[] warmChatReq;      // same as chatReq/streamReq unless --warmup-model
        final byte[] warmStreamReq;
        final byte[] warmChatBody;
        final byte[] warmStreamBody;
        final byte[] chatBody;
        final byte[] streamBody;
        final String key;
        final String protocol;
        final String origin;           // http://host:port
        final String chatPath, streamPath, warmChatPath, warmStreamPath;
        final byte[] success;          // what a successful non-streamed body contains
        final String providerHeader;   // lower case, or null
        final String attemptsHeader;   // lower case, or null

        Target(Opts o) throws IOException {
            URI u = URI.create(o.url);
            if (!"http".equalsIgnoreCase(u.getScheme())) die("only http:// URLs are supported: " + o.url);
            String host = u.getHost();
            if (host == null) die("no host in URL: " + o.url);
            boolean literal = host.matches("[0-9.]+") || host.startsWith("[");
            if (!literal && !host.equalsIgnoreCase("localhost")) die("refusing non-loopback target " + host + " (use 127.0.0.1)");
            InetAddress ia = InetAddress.getByName(host);
            if (!ia.isLoopbackAddress()) die("refusing non-loopback target " + host + " (" + ia.getHostAddress() + ")");
            int port = u.getPort() < 0 ? 80 : u.getPort();
            String base = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            this.protocol = o.protocol;
            this.success = successMarker(o.protocol);
            this.chatPath = path(o.protocol, base, o.model, false);
            this.streamPath = path(o.protocol, base, o.model, true);
            String warmModel = o.warmupModel == null ? o.model : o.warmupModel;
            this.warmChatPath = path(o.protocol, base, warmModel, false);
            this.warmStreamPath = path(o.protocol, base, warmModel, true);
            this.origin = "http://" + (ia.getHostAddress().contains(":") ? "[" + ia.getHostAddress() + "]" : ia.getHostAddress())
                    + ":" + port;
            this.uri = URI.create(origin + chatPath);
            this.addr = new InetSocketAddress(ia, port);
            this.key = o.key;
            this.providerHeader = o.providerHeader;
            this.attemptsHeader = o.attemptsHeader;
            this.chatBody = body(o, false);
            this.streamBody = body(o, true);
            String hostHeader = u.getHost() + ":" + port;
            this.chatReq = request(o.protocol, chatPath, hostHeader, o.key, "application/json", chatBody);
            this.streamReq = request(o.protocol, streamPath, hostHeader, o.key, "text/event-stream", streamBody);
            if (o.warmupModel == null) {
                warmChatBody = chatBody;
                warmStreamBody = streamBody;
                warmChatReq = chatReq;
                warmStreamReq = streamReq;
            } else {
                String model = o.model;
                o.model = o.warmupModel;
                warmChatBody = body(o, false);
                warmStreamBody = body(o, true);
                o.model = model;
                warmChatReq = request(o.protocol, warmChatPath, hostHeader, o.key, "application/json", warmChatBody);
                warmStreamReq = request(o.protocol, warmStreamPath, hostHeader, o.key, "text/event-stream", warmStreamBody);
            }
        }

        /** The endpoint under the base path; a base that already names the endpoint is kept (chat, messages, responses). */
        static String path(String protocol, String base, String model, boolean stream) {
            String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            return switch (protocol) {
                case "messages" -> base.endsWith("/messages") ? base : trimmed + "/messages";
                case "responses" -> base.endsWith("/responses") ? base : trimmed + "/responses";
                case "gemini" -> trimmed + "/models/" + model + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
                default -> base.endsWith("/chat/completions") ? base : trimmed + "/chat/completions";
            };
        }

        static byte[] body(Opts o, boolean stream) {
            String body = switch (o.protocol) {
                case "messages" -> "{\"model\":" + jsonStr(o.model) + ",\"max_tokens\":" + (o.maxTokens > 0 ? o.maxTokens : 4096)
                        + ",\"messages\":[{\"role\":\"user\",\"content\":" + jsonStr(o.prompt) + "}],\"stream\":" + stream + "}";
                // store:false: the bench measures translation, not the response store
                case "responses" -> "{\"model\":" + jsonStr(o.model) + ",\"input\":" + jsonStr(o.prompt)
                        + (o.maxTokens > 0 ? ",\"max_output_tokens\":" + o.maxTokens : "") + ",\"store\":false,\"stream\":" + stream + "}";
                // the model is in the path
                case "gemini" -> "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":" + jsonStr(o.prompt) + "}]}]"
                        + (o.maxTokens > 0 ? ",\"generationConfig\":{\"maxOutputTokens\":" + o.maxTokens + "}" : "") + "}";
                default -> null;
            };
            if (body != null) return body.getBytes(StandardCharsets.UTF_8);
            StringBuilder sb = new StringBuilder(256);
            sb.append("{\"model\":").append(jsonStr(o.model))
              .append(",\"messages\":[{\"role\":\"user\",\"content\":").append(jsonStr(o.prompt)).append("}]");
            if (o.maxTokens > 0) sb.append(",\"max_tokens\":").append(o.maxTokens);
            if (stream) sb.append(",\"stream\":true,\"stream_options\":{\"include_usage\":true}");
            else sb.append(",\"stream\":false");
            sb.append('}');
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        static byte[] request(String protocol, String path, String host, String key, String accept, byte[] body) {
            StringBuilder h = new StringBuilder(256);
            h.append("POST ").append(path).append(" HTTP/1.1\r\n")
             .append("Host: ").append(host).append("\r\n")
             .append("User-Agent: ai-higress-loadgen/1\r\n")
             .append("Content-Type: application/json\r\n")
             .append("Accept: ").append(accept).append("\r\n");
            if (protocol.equals("messages")) h.append("anthropic-version: 2023-06-01\r\n");
            if (key != null && !key.isEmpty()) h.append(keyHeader(protocol)).append(": ").append(authValue(protocol, key)).append("\r\n");
            h.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            return all;
        }

        static String keyHeader(String protocol) {
            return switch (protocol) {
                case "messages" -> "x-api-key";
                case "gemini" -> "x-goog-api-key";
                default -> "Authorization";
            };
        }

        static String authValue(String protocol, String key) {
            return keyHeader(protocol).equals("Authorization") ? "Bearer " + key : key;
        }

        /** What a successful non-streamed body contains. */
        static byte[] successMarker(String protocol) {
            String marker = switch (protocol) {
                case "messages" -> "\"stop_reason\"";
                case "responses" -> "\"output\"";
                case "gemini" -> "\"candidates\"";
                default -> "\"choices\"";
            };
            return marker.getBytes(StandardCharsets.US_ASCII);
        }

        static String jsonStr(String s) {
            StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                        else sb.append(c);
                    }
                }
            }
            return sb.append('"').toString();
        }
    }

    // ------------------------------------------------------------------------------------------------ outcome + SSE

    /** Result of one exchange. Reused per worker: reset() before each request. */
    static final class Outcome {
        long startNs;
        int status;
        String error;          // null = success
        String errorSample;    // first bytes of an error body, for diagnostics
        long firstContentNs;   // 0 = no content token seen
        int events;            // SSE data events (excluding [DONE])
        int contentEvents;     // data events carrying a non-empty delta.content
        boolean done;          // saw data: [DONE]
        boolean dataAfterDone;
        boolean sseError;
        boolean opened;        // open-streams: gauge was incremented
        boolean warm;          // sent during the warm-up: use the --warmup-model request
        String provider;       // value of --provider-header, or null
        int attempts;          // value of --attempts-header, 0 when absent
        AtomicInteger openGauge;
        AtomicInteger maxOpen;
        AtomicLong allOpenAt;  // open-streams: when the gauge first reached openTarget (ns since openT0)
        int openTarget;
        long openT0;

        void reset(long start) {
            startNs = start;
            status = 0;
            error = null;
            errorSample = null;
            firstContentNs = 0;
            events = 0;
            contentEvents = 0;
            done = false;
            dataAfterDone = false;
            sseError = false;
            opened = false;
            provider = null;
            attempts = 0;
        }

        void markOpen() {
            if (openGauge != null && !opened) {
                opened = true;
                int now = openGauge.incrementAndGet();
                maxOpen.accumulateAndGet(now, Math::max);
                if (now == openTarget) allOpenAt.compareAndSet(-1, System.nanoTime() - openT0);
            }
        }

        /** Classifies a finished stream. */
        void finishStream() {
            if (sseError) error = "sse_error";
            else if (!done) error = "no_done";
            else if (dataAfterDone) error = "data_after_done";
            else if (contentEvents == 0) error = "no_content";
        }
    }

    /**
     * Incremental SSE line splitter; works on raw bytes, no String allocation per line. What ends a stream, what
     * counts as a content token and what as an error depends on the protocol.
     */
    static final class Sse {
        static final int CHAT = 0, MESSAGES = 1, RESPONSES = 2, GEMINI = 3;
        private final int protocol;
        private byte[] line = new byte[2048];
        private int len;

        Sse(String protocol) {
            this.protocol = switch (protocol) {
                case "messages" -> MESSAGES;
                case "responses" -> RESPONSES;
                case "gemini" -> GEMINI;
                default -> CHAT;
            };
        }

        void reset() {
            len = 0;
        }

        void feed(byte[] b, int off, int n, Outcome o) throws IOException {
            int end = off + n;
            int i = off;
            while (i < end) {
                int nl = -1;
                for (int j = i; j < end; j++) {
                    if (b[j] == '\n') {
                        nl = j;
                        break;
                    }
                }
                int stop = nl < 0 ? end : nl;
                int k = stop - i;
                if (len + k > line.length) {
                    if (len + k > (1 << 22)) throw new IOException("SSE line longer than 4 MiB");
                    line = Arrays.copyOf(line, Math.max(line.length * 2, len + k));
                }
                System.arraycopy(b, i, line, len, k);
                len += k;
                if (nl < 0) return;
                onLine(o);
                len = 0;
                i = nl + 1;
            }
        }

        /** A final line without a trailing newline still counts. */
        void end(Outcome o) {
            if (len > 0) {
                onLine(o);
                len = 0;
            }
        }

        private void onLine(Outcome o) {
            int n = len;
            if (n > 0 && line[n - 1] == '\r') n--;
            if (n < 5 || line[0] != 'd' || line[1] != 'a' || line[2] != 't' || line[3] != 'a' || line[4] != ':') return;
            int p = 5;
            if (p < n && line[p] == ' ') p++;
            if (protocol == CHAT && n - p == 6 && line[p] == '[' && line[p + 1] == 'D' && line[p + 2] == 'O' && line[p + 3] == 'N'
                    && line[p + 4] == 'E' && line[p + 5] == ']') {
                if (o.done) o.dataAfterDone = true;
                o.done = true;
                return;
            }
            if (o.done) o.dataAfterDone = true;
            o.events++;
            boolean content = switch (protocol) {
                case MESSAGES -> {
                    if (indexOf(line, p, n, TYPE_ERROR) >= 0) o.sseError = true;
                    if (indexOf(line, p, n, MESSAGE_STOP) >= 0) o.done = true;
                    yield indexOf(line, p, n, TEXT_DELTA) >= 0;
                }
                case RESPONSES -> {
                    if (indexOf(line, p, n, TYPE_ERROR) >= 0 || indexOf(line, p, n, RESPONSE_FAILED) >= 0) o.sseError = true;
                    if (indexOf(line, p, n, RESPONSE_COMPLETED) >= 0 || indexOf(line, p, n, RESPONSE_INCOMPLETE) >= 0) o.done = true;
                    yield indexOf(line, p, n, OUTPUT_TEXT_DELTA) >= 0;
                }
                case GEMINI -> {
                    // no terminal event: the response that carries a finish reason is the last one
                    if (startsWith(line, p, n, ERROR_PREFIX)) o.sseError = true;
                    if (indexOf(line, p, n, FINISH_REASON) >= 0) o.done = true;
                    int t = indexOf(line, p, n, TEXT);
                    yield t >= 0 && t + TEXT.length < n && line[t + TEXT.length] != '"';
                }
                default -> {
                    if (startsWith(line, p, n, ERROR_PREFIX)) o.sseError = true;
                    yield hasDeltaContent(line, p, n);
                }
            };
            if (content) {
                o.contentEvents++;
                if (o.firstContentNs == 0) o.firstContentNs = System.nanoTime();
            }
        }

        static final byte[] ERROR_PREFIX = "{\"error\"".getBytes(StandardCharsets.US_ASCII);
        static final byte[] TYPE_ERROR = ascii("\"type\":\"error\"");
        static final byte[] MESSAGE_STOP = ascii("\"type\":\"message_stop\"");
        static final byte[] TEXT_DELTA = ascii("\"type\":\"text_delta\"");
        static final byte[] RESPONSE_FAILED = ascii("\"type\":\"response.failed\"");
        static final byte[] RESPONSE_COMPLETED = ascii("\"type\":\"response.completed\"");
        static final byte[] RESPONSE_INCOMPLETE = ascii("\"type\":\"response.incomplete\"");
        static final byte[] OUTPUT_TEXT_DELTA = ascii("\"type\":\"response.output_text.delta\"");
        static final byte[] FINISH_REASON = ascii("\"finishReason\"");
        static final byte[] TEXT = ascii("\"text\":\"");

        static byte[] ascii(String s) {
            return s.getBytes(StandardCharsets.US_ASCII);
        }
        static final byte[] DELTA = "\"delta\"".getBytes(StandardCharsets.US_ASCII);
        static final byte[] CONTENT = "\"content\"".getBytes(StandardCharsets.US_ASCII);

        /** true when the JSON has "delta":{..."content":"<non-empty>"...}. */
        static boolean hasDeltaContent(byte[] b, int from, int to) {
            int d = indexOf(b, from, to, DELTA);
            if (d < 0) return false;
            int c = indexOf(b, d + DELTA.length, to, CONTENT);
            if (c < 0) return false;
            int j = c + CONTENT.length;
            while (j < to && b[j] == ' ') j++;
            if (j >= to || b[j] != ':') return false;
            j++;
            while (j < to && b[j] == ' ') j++;
            return j + 1 < to && b[j] == '"' && b[j + 1] != '"';
        }

        static boolean startsWith(byte[] b, int from, int to, byte[] p) {
            if (to - from < p.length) return false;
            for (int i = 0; i < p.length; i++) if (b[from + i] != p[i]) return false;
            return true;
        }

        static int indexOf(byte[] b, int from, int to, byte[] p) {
            outer:
            for (int i = from; i <= to - p.length; i++) {
                for (int k = 0; k < p.length; k++) if (b[i + k] != p[k]) continue outer;
                return i;
            }
            return -1;
        }
    }

    // ------------------------------------------------------------------------------------------------ transports

    interface Transport extends Closeable {
        void exchange(boolean stream, Outcome o, long deadlineNs) throws IOException, InterruptedException;

        @Override
        void close();
    }

    static final AtomicLong CONNECTIONS_OPENED = new AtomicLong();

    /** One keep-alive HTTP/1.1 connection. Not thread-safe: one per worker. */
    static final class RawConn implements Closeable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] buf = new byte[32 * 1024];
        int pos, lim;
        long deadlineNs;
        // response state
        int status;
        long contentLength;
        boolean chunked, closeAfter, bodyDone, firstChunk;
        int bodyMode; // 0 fixed length, 1 chunked, 2 until close
        long remaining;
        int sliceOff;
        // captured response headers (routing statistics); names in lower case, null = not captured
        String providerHeader, attemptsHeader;
        String provider;
        int attempts;

        RawConn(InetSocketAddress addr, int timeoutMs) throws IOException {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(addr, timeoutMs);
                s.setSoTimeout(timeoutMs);
                in = s.getInputStream();
                out = s.getOutputStream();
            } catch (IOException e) {
                s.close();
                throw e;
            }
            socket = s;
            CONNECTIONS_OPENED.incrementAndGet();
        }

        private void fill() throws IOException {
            if (System.nanoTime() - deadlineNs > 0) throw new SocketTimeoutException("request deadline exceeded");
            int n = in.read(buf, 0, buf.length);
            if (n < 0) throw new EOFException("connection closed by server");
            pos = 0;
            lim = n;
        }

        private String readLine() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            while (true) {
                if (pos == lim) fill();
                byte c = buf[pos++];
                if (c == '\n') break;
                if (sb.length() > 16 * 1024) throw new IOException("header line too long");
                sb.append((char) (c & 0xff));
            }
            int l = sb.length();
            if (l > 0 && sb.charAt(l - 1) == '\r') sb.setLength(l - 1);
            return sb.toString();
        }

        void send(byte[] req) throws IOException {
            out.write(req);
            out.flush();
        }

        void readHead() throws IOException {
            while (true) {
                String statusLine = readLine();
                if (statusLine.isEmpty()) continue;
                if (!statusLine.startsWith("HTTP/1.")) throw new IOException("bad status line: " + trim(statusLine));
                int sp = statusLine.indexOf(' ');
                status = Integer.parseInt(statusLine.substring(sp + 1, sp + 4));
                boolean http10 = statusLine.startsWith("HTTP/1.0");
                contentLength = -1;
                chunked = false;
                closeAfter = http10;
                provider = null;
                attempts = 0;
                String line;
                while (!(line = readLine()).isEmpty()) {
                    int c = line.indexOf(':');
                    if (c <= 0) continue;
                    String name = line.substring(0, c).trim().toLowerCase(Locale.ROOT);
                    String val = line.substring(c + 1).trim();
                    switch (name) {
                        case "content-length" -> contentLength = Long.parseLong(val);
                        case "transfer-encoding" -> chunked = val.toLowerCase(Locale.ROOT).contains("chunked");
                        case "connection" -> {
                            String v = val.toLowerCase(Locale.ROOT);
                            if (v.contains("close")) closeAfter = true;
                            else if (v.contains("keep-alive")) closeAfter = false;
                        }
                        default -> {
                            if (name.equals(providerHeader)) provider = val;
                            else if (name.equals(attemptsHeader)) attempts = parseIntOr0(val);
                        }
                    }
                }
                if (status >= 100 && status < 200) continue; // 100 Continue etc.
                break;
            }
            bodyDone = false;
            if (status == 204 || status == 304) {
                bodyDone = true;
            } else if (chunked) {
                bodyMode = 1;
                remaining = 0;
                firstChunk = true;
            } else if (contentLength >= 0) {
                bodyMode = 0;
                remaining = contentLength;
                bodyDone = contentLength == 0;
            } else {
                bodyMode = 2;
                closeAfter = true;
            }
        }

        /** Next slice of the decoded body in buf[sliceOff, sliceOff+n); -1 at the end of the body. */
        int nextSlice() throws IOException {
            if (bodyDone) return -1;
            switch (bodyMode) {
                case 0 -> {
                    if (pos == lim) fill();
                    int n = (int) Math.min(lim - pos, remaining);
                    sliceOff = pos;
                    pos += n;
                    remaining -= n;
                    if (remaining == 0) bodyDone = true;
                    return n;
                }
                case 1 -> {
                    if (remaining == 0) {
                        if (!firstChunk) {
                            String crlf = readLine();
                            if (!crlf.isEmpty()) throw new IOException("bad chunk terminator");
                        }
                        firstChunk = false;
                        String sizeLine = readLine();
                        int semi = sizeLine.indexOf(';');
                        long size = Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
                        if (size == 0) {
                            while (!readLine().isEmpty()) { } // trailers
                            bodyDone = true;
                            return -1;
                        }
                        remaining = size;
                    }
                    if (pos == lim) fill();
                    int n = (int) Math.min(lim - pos, remaining);
                    sliceOff = pos;
                    pos += n;
                    remaining -= n;
                    return n;
                }
                default -> {
                    if (pos == lim) {
                        if (System.nanoTime() - deadlineNs > 0) throw new SocketTimeoutException("request deadline exceeded");
                        int r = in.read(buf, 0, buf.length);
                        if (r < 0) {
                            bodyDone = true;
                            return -1;
                        }
                        pos = 0;
                        lim = r;
                    }
                    int n = lim - pos;
                    sliceOff = pos;
                    pos = lim;
                    return n;
                }
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
            }
        }
    }

    static int parseIntOr0(String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String trim(String s) {
        s = s.replaceAll("[\\r\\n]+", " ");
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    static final class RawTransport implements Transport {
        final Target t;
        final int timeoutMs;
        final boolean reuse;
        final Sse sse;
        byte[] body = new byte[8192];
        RawConn conn;

        RawTransport(Target t, Duration timeout, boolean reuse) {
            this.t = t;
            this.sse = new Sse(t.protocol);
            this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            this.reuse = reuse;
        }

        @Override
        public void exchange(boolean stream, Outcome o, long deadlineNs) throws IOException {
            boolean fresh = conn == null;
            if (fresh) conn = newConn();
            RawConn c = conn;
            c.deadlineNs = deadlineNs;
            try {
                c.send(o.warm ? (stream ? t.warmStreamReq : t.warmChatReq) : (stream ? t.streamReq : t.chatReq));
                try {
                    c.readHead();
                } catch (EOFException e) {
                    // a kept-alive connection closed by the server between requests: retry once on a new one
                    if (fresh) throw e;
                    closeConn();
                    c = conn = newConn();
                    c.deadlineNs = deadlineNs;
                    c.send(o.warm ? (stream ? t.warmStreamReq : t.warmChatReq) : (stream ? t.streamReq : t.chatReq));
                    c.readHead();
                }
                o.status = c.status;
                o.provider = c.provider;
                o.attempts = c.attempts;
                if (c.status != 200) {
                    int n = readAll(c);
                    o.error = "http_" + c.status;
                    o.errorSample = trim(new String(body, 0, Math.min(n, 300), StandardCharsets.UTF_8));
                } else if (!stream) {
                    int n = readAll(c);
                    if (Sse.indexOf(body, 0, n, t.success) < 0) {
                        o.error = "bad_body";
                        o.errorSample = trim(new String(body, 0, Math.min(n, 300), StandardCharsets.UTF_8));
                    }
                } else {
                    o.markOpen();
                    sse.reset();
                    int n;
                    while ((n = c.nextSlice()) >= 0) sse.feed(c.buf, c.sliceOff, n, o);
                    sse.end(o);
                    o.finishStream();
                }
                if (c.closeAfter || !reuse) closeConn();
            } catch (IOException | RuntimeException e) {
                closeConn();
                throw e;
            }
        }

        private RawConn newConn() throws IOException {
            RawConn c = new RawConn(t.addr, timeoutMs);
            c.providerHeader = t.providerHeader;
            c.attemptsHeader = t.attemptsHeader;
            return c;
        }

        private int readAll(RawConn c) throws IOException {
            int total = 0;
            int n;
            while ((n = c.nextSlice()) >= 0) {
                if (total + n > body.length) {
                    if (total + n > (64 << 20)) throw new IOException("response body larger than 64 MiB");
                    body = Arrays.copyOf(body, Math.max(body.length * 2, total + n));
                }
                System.arraycopy(c.buf, c.sliceOff, body, total, n);
                total += n;
            }
            return total;
        }

        private void closeConn() {
            if (conn != null) {
                conn.close();
                conn = null;
            }
        }

        @Override
        public void close() {
            closeConn();
        }
    }

    static final class JdkTransport implements Transport {
        static volatile HttpClient shared;
        final HttpRequest chatReq, streamReq, warmChatReq, warmStreamReq;
        final String providerHeader, attemptsHeader;
        final Sse sse;
        final byte[] success;
        final byte[] buf = new byte[16 * 1024];

        JdkTransport(Target t, Duration timeout) {
            if (shared == null) {
                synchronized (JdkTransport.class) {
                    if (shared == null) {
                        shared = HttpClient.newBuilder()
                                .version(HttpClient.Version.HTTP_1_1)
                                .connectTimeout(timeout)
                                .followRedirects(HttpClient.Redirect.NEVER)
                                .build();
                    }
                }
            }
            providerHeader = t.providerHeader;
            attemptsHeader = t.attemptsHeader;
            sse = new Sse(t.protocol);
            success = t.success;
            chatReq = req(t, t.chatPath, timeout, "application/json", t.chatBody);
            streamReq = req(t, t.streamPath, timeout, "text/event-stream", t.streamBody);
            warmChatReq = t.warmChatBody == t.chatBody ? chatReq : req(t, t.warmChatPath, timeout, "application/json", t.warmChatBody);
            warmStreamReq = t.warmStreamBody == t.streamBody ? streamReq : req(t, t.warmStreamPath, timeout, "text/event-stream", t.warmStreamBody);
        }

        static HttpRequest req(Target t, String path, Duration timeout, String accept, byte[] body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.origin + path))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", accept)
                    .header("User-Agent", "ai-higress-loadgen/1")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (t.protocol.equals("messages")) b.header("anthropic-version", "2023-06-01");
            if (t.key != null && !t.key.isEmpty()) b.header(Target.keyHeader(t.protocol), Target.authValue(t.protocol, t.key));
            return b.build();
        }

        @Override
        public void exchange(boolean stream, Outcome o, long deadlineNs) throws IOException, InterruptedException {
            if (!stream) {
                HttpResponse<byte[]> r = shared.send(o.warm ? warmChatReq : chatReq, HttpResponse.BodyHandlers.ofByteArray());
                o.status = r.statusCode();
                headers(r, o);
                byte[] b = r.body();
                if (o.status != 200) o.error = "http_" + o.status;
                else if (Sse.indexOf(b, 0, b.length, success) < 0) o.error = "bad_body";
                if (o.error != null) o.errorSample = trim(new String(b, 0, Math.min(b.length, 300), StandardCharsets.UTF_8));
                return;
            }
            HttpResponse<InputStream> r = shared.send(o.warm ? warmStreamReq : streamReq, HttpResponse.BodyHandlers.ofInputStream());
            o.status = r.statusCode();
            headers(r, o);
            try (InputStream in = r.body()) {
                if (o.status != 200) {
                    byte[] b = in.readNBytes(300);
                    o.error = "http_" + o.status;
                    o.errorSample = trim(new String(b, StandardCharsets.UTF_8));
                    return;
                }
                o.markOpen();
                sse.reset();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    sse.feed(buf, 0, n, o);
                    if (System.nanoTime() - deadlineNs > 0) throw new HttpTimeoutException("request deadline exceeded");
                }
                sse.end(o);
                o.finishStream();
            }
        }

        private void headers(HttpResponse<?> r, Outcome o) {
            if (providerHeader != null) o.provider = r.headers().firstValue(providerHeader).orElse(null);
            if (attemptsHeader != null) o.attempts = r.headers().firstValue(attemptsHeader).map(LoadGen::parseIntOr0).orElse(0);
        }

        @Override
        public void close() { }
    }

    static Transport newTransport(Opts o, Target t, boolean reuse) {
        return o.client.equals("jdk") ? new JdkTransport(t, o.timeout) : new RawTransport(t, o.timeout, reuse);
    }

    /** Runs one exchange; never throws. Returns the error kind or null. */
    static String runOne(Transport tr, boolean stream, Outcome o, long timeoutNs) {
        try {
            tr.exchange(stream, o, o.startNs + timeoutNs);
            return o.error;
        } catch (SocketTimeoutException | HttpTimeoutException e) {
            o.errorSample = e.getMessage();
            return o.error = "timeout";
        } catch (IOException e) {
            o.errorSample = e.getClass().getSimpleName() + ": " + e.getMessage();
            return o.error = "io_" + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return o.error = "interrupted";
        } catch (RuntimeException e) {
            o.errorSample = e.toString();
            return o.error = "ex_" + e.getClass().getSimpleName();
        }
    }

    // ------------------------------------------------------------------------------------------------ statistics

    static final class LongBuf {
        long[] a = new long[4096];
        int n;

        void add(long v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        void addAll(LongBuf o) {
            if (n + o.n > a.length) a = Arrays.copyOf(a, Math.max(a.length * 2, n + o.n));
            System.arraycopy(o.a, 0, a, n, o.n);
            n += o.n;
        }

        long[] sorted() {
            long[] s = Arrays.copyOf(a, n);
            Arrays.sort(s);
            return s;
        }
    }

    static final class Stats {
        final LongBuf lat = new LongBuf();     // ns, full request / full stream
        final LongBuf ttft = new LongBuf();    // ns, first content token
        long ok, events, tokens, warmup, warmupErrors;
        final Map<String, Long> errors = new TreeMap<>();
        final Map<String, String> samples = new TreeMap<>();

        void error(String kind, String sample) {
            errors.merge(kind, 1L, Long::sum);
            if (sample != null) samples.putIfAbsent(kind, sample);
        }

        void merge(Stats s) {
            lat.addAll(s.lat);
            ttft.addAll(s.ttft);
            ok += s.ok;
            events += s.events;
            tokens += s.tokens;
            warmup += s.warmup;
            warmupErrors += s.warmupErrors;
            s.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            s.samples.forEach(samples::putIfAbsent);
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Nearest-rank percentile over all samples, in ms. */
    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int idx = (int) Math.ceil(p / 100.0 * sorted.length - 1e-9) - 1; // epsilon: 99.9% of 1000 is 999, not 1000
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
    }

    static double mean(long[] s) {
        if (s.length == 0) return Double.NaN;
        double sum = 0;
        for (long v : s) sum += v;
        return sum / s.length / 1e6;
    }

    static String f(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String f1(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String latLine(String what, long[] s) {
        return String.format(Locale.ROOT, "%-13s p50=%s p90=%s p99=%s p99.9=%s max=%s mean=%s (n=%d)",
                what + " ms:", f(pct(s, 50)), f(pct(s, 90)), f(pct(s, 99)), f(pct(s, 99.9)),
                f(s.length == 0 ? Double.NaN : s[s.length - 1] / 1e6), f(mean(s)), s.length);
    }

    static String errorsText(Stats s) {
        return s.errors.isEmpty() ? "none" : s.errors.toString();
    }

    static long cpuNs() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime();
        return -1;
    }

    static Thread.Builder threads(Opts o, String prefix) {
        return o.threads.equals("virtual") ? Thread.ofVirtual().name(prefix, 0) : Thread.ofPlatform().daemon(true).name(prefix, 0);
    }

    static void sleepUntil(long deadlineNs) throws InterruptedException {
        long d;
        while ((d = deadlineNs - System.nanoTime()) > 0) TimeUnit.NANOSECONDS.sleep(Math.min(d, 1_000_000_000L));
    }

    // ------------------------------------------------------------------------------------------------ closed loop

    static int closedLoop(Opts o, Target t) throws Exception {
        boolean stream = o.mode.equals("stream");
        boolean routing = o.routing();
        int c = o.concurrency;
        long timeoutNs = o.timeout.toNanos();
        long t0 = System.nanoTime();
        long measureStart = t0 + o.warmup.toNanos();
        // the end of the measured window; a "stop" line in the --control file moves it earlier, never later
        AtomicLong measureEnd = new AtomicLong(measureStart + o.duration.toNanos());
        long hardDeadline = measureEnd.get() + timeoutNs + 5_000_000_000L;
        ConcurrentLinkedQueue<Stats> finished = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Recs> recsDone = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(c);
        LongAdder progressOk = new LongAdder();
        LongAdder progressErr = new LongAdder();
        AtomicLong measuredConnStart = new AtomicLong(-1);
        Phases phases = new Phases(o.phase, measureStart);
        Interner providers = new Interner(64);
        Interner errorKinds = new Interner(64);

        System.out.printf(Locale.ROOT, "== LoadGen %s protocol=%s label=%s url=%s model=%s concurrency=%d warmup=%ss duration=%ss client=%s threads=%s max_tokens=%d%n",
                o.mode, o.protocol, o.label, t.uri, o.model, c, secs(o.warmup), secs(o.duration), o.client, o.threads, o.maxTokens);
        if (o.warmupModel != null) System.out.printf("warm-up model: %s%n", o.warmupModel);
        if (routing) {
            System.out.printf(Locale.ROOT, "routing: provider header=%s attempts header=%s failing provider=%s control=%s bucket=%ss%n",
                    o.providerHeader, o.attemptsHeader, o.failingProvider, o.control, secs(o.bucket));
            System.out.flush();
        }

        Thread.Builder tb = threads(o, "worker-");
        for (int i = 0; i < c; i++) {
            tb.start(() -> {
                Stats s = new Stats();
                Recs rec = routing ? new Recs() : null;
                Outcome oc = new Outcome();
                Transport tr = newTransport(o, t, true);
                try {
                    while (true) {
                        long st = System.nanoTime();
                        if (st - measureEnd.get() >= 0) break;
                        int phase = phases.current();
                        oc.reset(st);
                        oc.warm = st - measureStart < 0;
                        String err = runOne(tr, stream, oc, timeoutNs);
                        long en = System.nanoTime();
                        long end = measureEnd.get();
                        boolean measured = en - measureStart >= 0 && en - end <= 0;
                        if (err == null) progressOk.increment();
                        else progressErr.increment();
                        if (measured) {
                            if (err == null) {
                                s.ok++;
                                s.lat.add(en - st);
                                if (stream) s.ttft.add(oc.firstContentNs - st);
                            } else {
                                s.error(err, oc.errorSample);
                            }
                            s.events += oc.events;
                            s.tokens += oc.contentEvents;
                        } else if (en - measureStart < 0) {
                            s.warmup++;
                            if (err != null) s.warmupErrors++;
                        }
                        if (rec != null && st - measureStart >= 0) {
                            // routing records count by start time: every request started in the window, also
                            // one that completes after it (bounded by --timeout)
                            rec.add(st - t0, en - st, phase, oc.provider == null ? -1 : providers.id(oc.provider),
                                    oc.attempts, err == null ? -1 : errorKinds.id(err));
                            if (err != null) s.samples.putIfAbsent(err, oc.errorSample == null ? "" : oc.errorSample);
                        }
                        if (err != null && (err.startsWith("io_") || err.startsWith("ex_"))) {
                            Thread.sleep(10); // broken connection: avoid a hot reconnect loop
                        }
                    }
                } catch (InterruptedException ignored) {
                } finally {
                    tr.close();
                    finished.add(s);
                    if (rec != null) recsDone.add(rec);
                    done.countDown();
                }
            });
        }

        // control file: "phase NAME" starts a phase, "stop" ends the window; polled until the window ends
        Thread control = null;
        if (o.control != null) {
            control = Thread.ofPlatform().daemon(true).name("control").start(() -> pollControl(o, t0, measureStart, measureEnd, phases));
        }

        // sampler: CPU time and connection count at the window edges, progress to stderr every 5 s
        long[] cpu = {-1, -1};
        Thread sampler = Thread.ofPlatform().daemon(true).name("sampler").start(() -> {
            try {
                long next = t0 + 5_000_000_000L;
                boolean startTaken = false;
                while (true) {
                    long now = System.nanoTime();
                    if (!startTaken && now - measureStart >= 0) {
                        cpu[0] = cpuNs();
                        measuredConnStart.set(CONNECTIONS_OPENED.get());
                        startTaken = true;
                        if (routing) {
                            System.out.printf(Locale.ROOT, "phase %s started at t=%.3fs%n", o.phase, (measureStart - t0) / 1e9);
                            System.out.flush();
                        }
                    }
                    long end = measureEnd.get();
                    if (now - end >= 0) {
                        cpu[1] = cpuNs();
                        return;
                    }
                    if (now - next >= 0) {
                        System.err.printf(Locale.ROOT, "  [%s] t=%.0fs%s ok=%d errors=%d%n", o.label, (now - t0) / 1e9,
                                routing ? " phase=" + phases.name(phases.current()) : "", progressOk.sum(), progressErr.sum());
                        next += 5_000_000_000L;
                    }
                    long wake = earliest(now, now + 100_000_000L, end, next, startTaken ? now + 3_600_000_000_000L : measureStart);
                    sleepUntil(wake);
                }
            } catch (InterruptedException ignored) {
            }
        });

        boolean all = done.await(Math.max(0, hardDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        sampler.join(1000);
        if (control != null) control.join(1000);
        long measureEndNs = measureEnd.get();
        Stats s = new Stats();
        for (Stats w : finished) s.merge(w);
        long[] lat = s.lat.sorted();
        long[] ttft = s.ttft.sorted();
        double secs = Math.max(1, measureEndNs - measureStart) / 1e9;
        double rps = s.ok / secs;
        long errs = s.errorCount();
        long conns = CONNECTIONS_OPENED.get();

        System.out.printf(Locale.ROOT, "requests:     %d ok in %.2f s -> %.1f req/s (warm-up: %d requests, %d errors)%n",
                s.ok, secs, rps, s.warmup, s.warmupErrors);
        System.out.printf(Locale.ROOT, "errors:       %d %s%n", errs, errorsText(s));
        s.samples.forEach((k, v) -> System.out.printf("  sample %s: %s%n", k, v));
        System.out.println(latLine(stream ? "stream total" : "latency", lat));
        if (stream) {
            System.out.println(latLine("ttft", ttft));
            System.out.printf(Locale.ROOT, "events:       %.1f events/s, %.1f content tokens/stream%n",
                    s.events / secs, s.ok + errs == 0 ? 0.0 : (double) s.tokens / (s.ok + errs));
        }
        if (o.client.equals("raw")) {
            long inWindow = measuredConnStart.get() < 0 ? -1 : conns - measuredConnStart.get();
            System.out.printf(Locale.ROOT, "connections:  %d opened in total (%d during the measured window) for %d workers%n",
                    conns, inWindow, c);
        }
        double cpuS = cpu[0] >= 0 && cpu[1] >= 0 ? (cpu[1] - cpu[0]) / 1e9 : Double.NaN;
        System.out.printf(Locale.ROOT, "loadgen cpu:  %.2f s over the %.1f s window (%.2f cores)%n", cpuS, secs, cpuS / secs);
        if (!all) System.out.printf("WARNING: %d workers did not finish before the hard deadline (their samples are missing)%n", done.getCount());

        StringBuilder r = new StringBuilder();
        r.append("RESULT label=").append(o.label).append(" mode=").append(o.mode)
         .append(" protocol=").append(o.protocol)
         .append(" concurrency=").append(c)
         .append(" rps=").append(f1(rps))
         .append(" p50_ms=").append(f(pct(lat, 50)))
         .append(" p90_ms=").append(f(pct(lat, 90)))
         .append(" p99_ms=").append(f(pct(lat, 99)))
         .append(" max_ms=").append(f(lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1e6));
        if (stream) {
            r.append(" ttft_p50_ms=").append(f(pct(ttft, 50)))
             .append(" ttft_p90_ms=").append(f(pct(ttft, 90)))
             .append(" ttft_p99_ms=").append(f(pct(ttft, 99)))
             .append(" events_per_s=").append(f1(s.events / secs));
        }
        r.append(" ok=").append(s.ok).append(" errors=").append(errs)
         .append(" loadgen_cores=").append(String.format(Locale.ROOT, "%.2f", cpuS / secs));
        System.out.println(r);
        if (routing) {
            Recs all2 = new Recs();
            for (Recs w : recsDone) all2.addAll(w);
            routingReport(o, t0, measureEndNs, phases, providers, errorKinds, all2);
        }
        return 0;
    }

    static long earliest(long now, long... candidates) {
        long best = candidates[0];
        for (long v : candidates) if (v - now < best - now) best = v;
        return best;
    }

    static String secs(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e9).replaceAll("\\.0$", "");
    }

    // ------------------------------------------------------------------------------------------------ open streams

    static int openStreams(Opts o, Target t) throws Exception {
        int n = o.streams;
        long timeoutNs = o.timeout.toNanos();
        long rampNs = o.ramp.toNanos();
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        AtomicLong allOpenAt = new AtomicLong(-1);
        AtomicLong lastEnd = new AtomicLong();
        ConcurrentLinkedQueue<Stats> finished = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(n);
        LongAdder okCount = new LongAdder();
        LongAdder errCount = new LongAdder();

        System.out.printf(Locale.ROOT, "== LoadGen open-streams label=%s url=%s model=%s streams=%d ramp=%ss timeout=%ss client=%s threads=%s max_tokens=%d%n",
                o.label, t.uri, o.model, n, secs(o.ramp), secs(o.timeout), o.client, o.threads, o.maxTokens);

        long t0 = System.nanoTime();
        Thread.Builder tb = threads(o, "stream-");
        for (int i = 0; i < n; i++) {
            long startAt = t0 + (n <= 1 ? 0 : rampNs * i / (n - 1));
            tb.start(() -> {
                Stats s = new Stats();
                Outcome oc = new Outcome();
                oc.openGauge = open;
                oc.maxOpen = maxOpen;
                oc.allOpenAt = allOpenAt;
                oc.openTarget = n;
                oc.openT0 = t0;
                Transport tr = newTransport(o, t, false);
                try {
                    sleepUntil(startAt);
                    long st = System.nanoTime();
                    oc.reset(st);
                    // the gauge counts streams whose 200 headers arrived and that have not ended yet
                    String err;
                    try {
                        err = runOne(tr, true, oc, timeoutNs);
                    } finally {
                        if (oc.opened) open.decrementAndGet();
                    }
                    long en = System.nanoTime();
                    lastEnd.accumulateAndGet(en - t0, Math::max);
                    if (err == null) {
                        s.ok++;
                        okCount.increment();
                        s.lat.add(en - st);
                        s.ttft.add(oc.firstContentNs - st);
                    } else {
                        errCount.increment();
                        s.error(err, oc.errorSample);
                    }
                    s.events += oc.events;
                    s.tokens += oc.contentEvents;
                } catch (InterruptedException ignored) {
                } finally {
                    tr.close();
                    finished.add(s);
                    done.countDown();
                }
            });
        }

        Thread progress = Thread.ofPlatform().daemon(true).name("progress").start(() -> {
            try {
                while (true) {
                    Thread.sleep(2000);
                    System.err.printf(Locale.ROOT, "  [%s] t=%.0fs open=%d max_open=%d completed=%d errors=%d%n", o.label,
                            (System.nanoTime() - t0) / 1e9, open.get(), maxOpen.get(), okCount.sum(), errCount.sum());
                }
            } catch (InterruptedException ignored) {
            }
        });

        long hardDeadline = t0 + rampNs + timeoutNs + 5_000_000_000L;
        boolean all = done.await(Math.max(0, hardDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        progress.interrupt();
        Stats s = new Stats();
        for (Stats w : finished) s.merge(w);
        long[] lat = s.lat.sorted();
        long[] ttft = s.ttft.sorted();
        long errs = s.errorCount() + done.getCount();
        if (done.getCount() > 0) s.errors.put("unfinished", done.getCount());
        double total = (all ? lastEnd.get() : System.nanoTime() - t0) / 1e9;

        System.out.printf(Locale.ROOT, "streams:      %d requested, %d completed with [DONE], %d errors %s%n", n, s.ok, errs, errorsText(s));
        s.samples.forEach((k, v) -> System.out.printf("  sample %s: %s%n", k, v));
        System.out.printf(Locale.ROOT, "concurrency:  max %d streams open at once%s%n", maxOpen.get(),
                allOpenAt.get() >= 0 ? String.format(Locale.ROOT, " (all %d open at t=%.2fs)", n, allOpenAt.get() / 1e9) : "");
        System.out.printf(Locale.ROOT, "total time:   %.2f s (ramp %ss)%n", total, secs(o.ramp));
        System.out.println(latLine("stream total", lat));
        System.out.println(latLine("ttft", ttft));
        System.out.printf(Locale.ROOT, "events:       %d data events, %.1f content tokens/stream%n",
                s.events, n == 0 ? 0.0 : (double) s.tokens / n);
        if (o.client.equals("raw")) System.out.printf("connections:  %d opened%n", CONNECTIONS_OPENED.get());
        if (!all) System.out.printf("WARNING: %d streams did not finish before the hard deadline%n", done.getCount());

        System.out.println("RESULT label=" + o.label + " mode=open-streams streams=" + n + " completed=" + s.ok
                + " errors=" + errs + " max_open=" + maxOpen.get()
                + " total_s=" + String.format(Locale.ROOT, "%.2f", total)
                + " p50_ms=" + f(pct(lat, 50)) + " p90_ms=" + f(pct(lat, 90)) + " p99_ms=" + f(pct(lat, 99))
                + " ttft_p50_ms=" + f(pct(ttft, 50)) + " ttft_p90_ms=" + f(pct(ttft, 90)) + " ttft_p99_ms=" + f(pct(ttft, 99)));
        return 0;
    }

    // ------------------------------------------------------------------------------------------------ routing

    /** Phases of a run: names and start times. One writer (the control thread), many readers. */
    static final class Phases {
        static final int MAX = 32;
        final String[] names = new String[MAX];
        final long[] starts = new long[MAX];
        private volatile int count;

        Phases(String first, long start) {
            names[0] = first;
            starts[0] = start;
            count = 1;
        }

        int current() {
            return count - 1;
        }

        int count() {
            return count;
        }

        String name(int i) {
            return names[i];
        }

        /** Starts a phase now; false when there are too many. The arrays are written before the volatile count. */
        boolean start(String name, long now) {
            int n = count;
            if (n >= MAX) return false;
            names[n] = name;
            starts[n] = now;
            count = n + 1;
            return true;
        }
    }

    /** Small string -> id table (provider names, error kinds); beyond the cap everything maps to "other". */
    static final class Interner {
        final java.util.concurrent.ConcurrentHashMap<String, Integer> ids = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.concurrent.CopyOnWriteArrayList<String> names = new java.util.concurrent.CopyOnWriteArrayList<>();
        final int cap;

        Interner(int cap) {
            this.cap = cap;
        }

        int id(String name) {
            Integer id = ids.get(name);
            if (id != null) return id;
            synchronized (this) {
                id = ids.get(name);
                if (id != null) return id;
                if (names.size() >= cap) name = "other";
                id = ids.get(name);
                if (id != null) return id;
                names.add(name);
                ids.put(name, names.size() - 1);
                return names.size() - 1;
            }
        }

        String name(int id) {
            return names.get(id);
        }
    }

    static final class IntBuf {
        int[] a = new int[4096];
        int n;

        void add(int v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        void addAll(IntBuf o) {
            if (n + o.n > a.length) a = Arrays.copyOf(a, Math.max(a.length * 2, n + o.n));
            System.arraycopy(o.a, 0, a, n, o.n);
            n += o.n;
        }
    }

    /** One record per request (routing statistics): start, latency, phase, provider, attempts, error kind. */
    static final class Recs {
        final LongBuf start = new LongBuf();    // ns since t0
        final LongBuf lat = new LongBuf();      // ns
        final IntBuf phase = new IntBuf();
        final IntBuf provider = new IntBuf();   // -1 = header absent
        final IntBuf attempts = new IntBuf();   // 0 = header absent
        final IntBuf error = new IntBuf();      // -1 = success

        void add(long st, long latency, int ph, int prov, int att, int err) {
            start.add(st);
            lat.add(latency);
            phase.add(ph);
            provider.add(prov);
            attempts.add(att);
            error.add(err);
        }

        void addAll(Recs o) {
            start.addAll(o.start);
            lat.addAll(o.lat);
            phase.addAll(o.phase);
            provider.addAll(o.provider);
            attempts.addAll(o.attempts);
            error.addAll(o.error);
        }
    }

    /** Polls the control file every 20 ms until the window ends; bounded by the window. */
    static void pollControl(Opts o, long t0, long measureStart, AtomicLong measureEnd, Phases phases) {
        java.nio.file.Path file = java.nio.file.Path.of(o.control);
        long offset = 0;
        StringBuilder pending = new StringBuilder();
        try {
            while (System.nanoTime() - measureEnd.get() < 0) {
                Thread.sleep(20);
                if (!java.nio.file.Files.isRegularFile(file)) continue;
                try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r")) {
                    long len = f.length();
                    if (len < offset) offset = 0; // truncated: start over
                    if (len == offset) continue;
                    f.seek(offset);
                    byte[] b = new byte[(int) Math.min(len - offset, 1 << 16)];
                    f.readFully(b);
                    offset += b.length;
                    pending.append(new String(b, StandardCharsets.UTF_8));
                }
                int nl;
                while ((nl = pending.indexOf("\n")) >= 0) {
                    String line = pending.substring(0, nl).trim();
                    pending.delete(0, nl + 1);
                    long now = System.nanoTime();
                    if (line.isEmpty() || line.startsWith("#")) continue;
                    if (line.equals("stop")) {
                        measureEnd.accumulateAndGet(Math.max(now, measureStart), (a, b2) -> b2 - a < 0 ? b2 : a);
                        System.out.printf(Locale.ROOT, "stop at t=%.3fs%n", (now - t0) / 1e9);
                        System.out.flush();
                        return;
                    }
                    if (line.startsWith("phase ")) {
                        String name = line.substring(6).trim().replaceAll("\\s+", "_");
                        if (name.isEmpty()) continue;
                        if (phases.start(name, Math.max(now, measureStart))) {
                            System.out.printf(Locale.ROOT, "phase %s started at t=%.3fs%n", name, (Math.max(now, measureStart) - t0) / 1e9);
                        } else {
                            System.out.printf("WARNING: more than %d phases, ignored phase %s%n", Phases.MAX, name);
                        }
                        System.out.flush();
                        continue;
                    }
                    System.out.printf("WARNING: unknown control line ignored: %s%n", trim(line));
                }
            }
        } catch (InterruptedException ignored) {
        } catch (IOException e) {
            System.out.printf("WARNING: control file %s: %s%n", o.control, e);
        }
    }

    /** Per phase: totals, errors, latency, provider shares, derived figures; then the per-bucket table. */
    static void routingReport(Opts o, long t0, long measureEnd, Phases phases, Interner providers, Interner errorKinds,
                              Recs recs) {
        int nPhases = phases.count();
        boolean first = o.failingProvider != null && o.attemptsHeader != null;
        // column order: --providers, then the failing/watched provider, then the others by name
        List<String> cols = new java.util.ArrayList<>(o.providers);
        if (o.failingProvider != null && !cols.contains(o.failingProvider)) cols.add(o.failingProvider);
        if (o.watch != null && !cols.contains(o.watch)) cols.add(o.watch);
        new java.util.TreeSet<>(providers.names).forEach(p -> {
            if (!cols.contains(p)) cols.add(p);
        });
        int nCols = cols.size();
        int[] colOfProvider = new int[providers.names.size()];
        for (int i = 0; i < colOfProvider.length; i++) colOfProvider[i] = cols.indexOf(providers.name(i));
        int failCol = o.failingProvider == null ? -1 : cols.indexOf(o.failingProvider);
        int watchCol = o.watch == null ? -1 : cols.indexOf(o.watch);
        long bucketNs = o.bucket.toNanos();
        String what = first ? "first attempts" : "served requests";

        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "per-%ss traffic: share of %s by provider%s; requests bucketed by start time, %s since the phase start%n",
                secs(o.bucket), what,
                first ? " (a request with " + o.attemptsHeader + " > 1 counts for " + o.failingProvider + ")" : "",
                "s = bucket start in seconds"));
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-12s %5s %6s", "phase", "s", "reqs"));
        for (String col : cols) head.append(String.format(Locale.ROOT, " %7s", trimTo(col, 6) + "%"));
        head.append(String.format(Locale.ROOT, " %7s %6s %9s %9s", "retried", "errors", "p50_ms", "p99_ms"));
        table.append(head).append('\n');

        int n = recs.start.n;
        for (int ph = 0; ph < nPhases; ph++) {
            long pStart = phases.starts[ph] - t0;
            long pEnd = (ph + 1 < nPhases ? phases.starts[ph + 1] : measureEnd) - t0;
            double pSecs = Math.max(1, pEnd - pStart) / 1e9;
            int nBuckets = (int) Math.max(1, (pEnd - pStart + bucketNs - 1) / bucketNs);
            long[][] share = new long[nBuckets][nCols];   // first attempts (or served) per column
            long[] reqs = new long[nBuckets], retried = new long[nBuckets], errors = new long[nBuckets];
            LongBuf[] bLat = new LongBuf[nBuckets];
            long[] served = new long[nCols], firsts = new long[nCols];
            long[] attemptsHist = new long[5];   // 0 (absent), 1, 2, 3, 4+
            Map<String, Long> errs = new TreeMap<>();
            LongBuf lat = new LongBuf();
            long total = 0, ok = 0, retriedTotal = 0;
            for (int i = 0; i < n; i++) {
                if (recs.phase.a[i] != ph) continue;
                long st = recs.start.a[i];
                int b = (int) Math.min(nBuckets - 1, Math.max(0, (st - pStart) / bucketNs));
                total++;
                reqs[b]++;
                int att = recs.attempts.a[i];
                attemptsHist[Math.min(4, att)]++;
                boolean isRetried = att > 1;
                if (isRetried) {
                    retried[b]++;
                    retriedTotal++;
                }
                int prov = recs.provider.a[i];
                int col = prov < 0 ? -1 : colOfProvider[prov];
                if (recs.error.a[i] >= 0) {
                    errors[b]++;
                    errs.merge(errorKinds.name(recs.error.a[i]), 1L, Long::sum);
                } else {
                    ok++;
                    lat.add(recs.lat.a[i]);
                    if (bLat[b] == null) bLat[b] = new LongBuf();
                    bLat[b].add(recs.lat.a[i]);
                }
                if (col >= 0) served[col]++;
                // first attempts: a retried request's first attempt failed, and with --failing-provider only that
                // provider fails; otherwise the first attempt was the one that answered (errors: unknown)
                int firstCol = !first ? col : isRetried ? failCol : recs.error.a[i] >= 0 ? -1 : col;
                if (firstCol >= 0) {
                    firsts[firstCol]++;
                    share[b][firstCol]++;
                }
            }
            // derived figures for the watched provider, over full buckets only
            String firstBelow = "NaN", staysBelow = "NaN", firstAbove = "NaN", staysAbove = "NaN";
            if (watchCol >= 0) {
                int full = (int) ((pEnd - pStart) / bucketNs);
                int fb = -1, sb = -1, fa = -1, sa = -1;
                for (int b = 0; b < Math.min(full, nBuckets); b++) {
                    double pc = reqs[b] == 0 ? Double.NaN : 100.0 * share[b][watchCol] / reqs[b];
                    if (Double.isNaN(pc)) continue;
                    if (pc < o.below) {
                        if (fb < 0) fb = b;
                        if (sb < 0) sb = b;
                    } else {
                        sb = -1;
                    }
                    if (pc > o.above) {
                        if (fa < 0) fa = b;
                        if (sa < 0) sa = b;
                    } else {
                        sa = -1;
                    }
                }
                double bs = bucketNs / 1e9;
                if (fb >= 0) firstBelow = f1((fb + 1) * bs);
                if (sb >= 0) staysBelow = f1((sb + 1) * bs);
                if (fa >= 0) firstAbove = f1((fa + 1) * bs);
                if (sa >= 0) staysAbove = f1((sa + 1) * bs);
            }

            long[] sorted = lat.sorted();
            long errCount = total - ok;
            String name = phases.name(ph);
            System.out.printf(Locale.ROOT, "%nphase %s: %.2f s (t=%.2f..%.2f s), %d requests started -> %.1f req/s, %d ok, %d errors %s%n",
                    name, pSecs, pStart / 1e9, pEnd / 1e9, total, total / pSecs, ok, errCount, errs.isEmpty() ? "none" : errs);
            System.out.println("  " + latLine("latency", sorted));
            StringBuilder sv = new StringBuilder("  served by:      ");
            StringBuilder fa2 = new StringBuilder("  first attempts: ");
            for (int k = 0; k < nCols; k++) {
                sv.append(String.format(Locale.ROOT, "%s=%d (%.1f%%) ", cols.get(k), served[k], total == 0 ? 0 : 100.0 * served[k] / total));
                fa2.append(String.format(Locale.ROOT, "%s=%d (%.1f%%) ", cols.get(k), firsts[k], total == 0 ? 0 : 100.0 * firsts[k] / total));
            }
            System.out.println(sv.toString().stripTrailing());
            if (first) System.out.println(fa2.toString().stripTrailing() + "   [retried requests counted for " + o.failingProvider + "]");
            if (o.attemptsHeader != null) {
                System.out.printf(Locale.ROOT, "  attempts:       1=%d 2=%d 3=%d 4+=%d (header absent: %d); retried %d = %.2f%%%n",
                        attemptsHist[1], attemptsHist[2], attemptsHist[3], attemptsHist[4], attemptsHist[0], retriedTotal,
                        total == 0 ? 0 : 100.0 * retriedTotal / total);
            }
            if (watchCol >= 0) {
                System.out.printf(Locale.ROOT, "  %s share of %s: below %s%% within %s s (and stays below from then on: within %s s); above %s%% within %s s (stays above: within %s s)%n",
                        o.watch, what, fmtPct(o.below), firstBelow, staysBelow, fmtPct(o.above), firstAbove, staysAbove);
            }
            StringBuilder r = new StringBuilder("RESULT label=").append(o.label).append(" phase=").append(name)
                    .append(" mode=").append(o.mode)
                    .append(" duration_s=").append(String.format(Locale.ROOT, "%.2f", pSecs))
                    .append(" requests=").append(total)
                    .append(" rps=").append(f1(total / pSecs))
                    .append(" ok=").append(ok).append(" errors=").append(errCount)
                    .append(" error_kinds=").append(errs.isEmpty() ? "none" : String.join(",", errs.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList()))
                    .append(" success_pct=").append(total == 0 ? "NaN" : String.format(Locale.ROOT, "%.3f", 100.0 * ok / total))
                    .append(" p50_ms=").append(f(pct(sorted, 50)))
                    .append(" p90_ms=").append(f(pct(sorted, 90)))
                    .append(" p99_ms=").append(f(pct(sorted, 99)))
                    .append(" max_ms=").append(f(sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6))
                    .append(" retried=").append(retriedTotal);
            for (int k = 0; k < nCols; k++) r.append(" served_").append(cols.get(k)).append('=').append(served[k]);
            if (first) for (int k = 0; k < nCols; k++) r.append(" first_").append(cols.get(k)).append('=').append(firsts[k]);
            if (watchCol >= 0) {
                r.append(" watch=").append(o.watch)
                 .append(" below_pct=").append(fmtPct(o.below)).append(" first_below_s=").append(firstBelow).append(" stays_below_s=").append(staysBelow)
                 .append(" above_pct=").append(fmtPct(o.above)).append(" first_above_s=").append(firstAbove).append(" stays_above_s=").append(staysAbove);
            }
            System.out.println(r);

            for (int b = 0; b < nBuckets; b++) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-12s %5s %6d", trimTo(name, 12),
                        secs(Duration.ofNanos(b * bucketNs)), reqs[b]));
                for (int k = 0; k < nCols; k++) {
                    row.append(String.format(Locale.ROOT, " %7s", reqs[b] == 0 ? "-" : String.format(Locale.ROOT, "%.1f", 100.0 * share[b][k] / reqs[b])));
                }
                long[] bl = bLat[b] == null ? new long[0] : bLat[b].sorted();
                row.append(String.format(Locale.ROOT, " %7d %6d %9s %9s", retried[b], errors[b], f1(pct(bl, 50)), f1(pct(bl, 99))));
                if ((b + 1) * bucketNs > pEnd - pStart) row.append("  (partial)");
                table.append(row).append('\n');
            }
        }
        System.out.println();
        System.out.print(table);
    }

    static String trimTo(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n);
    }

    static String fmtPct(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.valueOf(v);
    }

    // ------------------------------------------------------------------------------------------------ main

    public static void main(String[] args) throws Exception {
        Opts o = parse(args);
        Target t = new Target(o);
        int rc = o.mode.equals("open-streams") ? openStreams(o, t) : closedLoop(o, t);
        System.out.flush();
        System.exit(rc);
    }
}
