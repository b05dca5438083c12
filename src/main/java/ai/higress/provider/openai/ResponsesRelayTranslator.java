package ai.higress.provider.openai;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import ai.higress.error.UpstreamException;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamJson;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;
import ai.higress.stream.SseEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Relays an upstream's Responses event stream to a Responses client untouched. The lifecycle events that open a stream
 * ({@code response.created}, {@code response.in_progress}) are held back until the first event with output, so that
 * an {@code error} or {@code response.failed} the upstream sends before any output becomes an
 * {@link UpstreamException} before the commit point, and another target can still answer. After the commit point the
 * upstream's own failure event is what the client gets. Usage comes from the terminal response.
 */
final class ResponsesRelayTranslator implements StreamTranslator {
    private static final Set<String> OPENING = Set.of("response.created", "response.in_progress", "response.queued");
    private static final Set<String> TERMINAL = Set.of("response.completed", "response.incomplete");
    private static final Set<String> ERROR_TYPES = Set.of("invalid_request_error", "rate_limit_error", "server_error",
            "overloaded_error");

    private final Target target;
    private final Clock clock;
    private final List<SseEvent> held = new ArrayList<>();
    private boolean committed;
    private boolean finished;
    private Usage usage;
    private long lastSequence = -1;
    private UpstreamException failure;
    private SseEvent failureEvent;

    ResponsesRelayTranslator(Target target, Clock clock) {
        this.target = target;
        this.clock = clock;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent event) {
        if (finished || event.isDone()) {
            return List.of();
        }
        JsonNode data = UpstreamJson.object(event.data())
                .orElseThrow(() -> UpstreamJson.notAnObject(target, "sent a Responses event"));
        String type = data.path("type").asText(event.event());
        if (data.path("sequence_number").canConvertToLong()) {
            lastSequence = data.path("sequence_number").asLong();
        }
        if (type.equals("error")) {
            JsonNode error = data.path("error").isObject() ? data.path("error") : data;
            throw failed(event, failure(target, error, clock));
        }
        if (type.equals("response.failed")) {
            throw failed(event, failure(target, data.path("response").path("error"), clock));
        }
        if (!committed && OPENING.contains(type)) {
            held.add(event);
            return List.of();
        }
        if (TERMINAL.contains(type)) {
            usage = Usage.fromResponses(data.path("response").get("usage")).orElse(null);
            finished = true;
        }
        committed = true;
        List<SseEvent> out = new ArrayList<>(held);
        out.add(event);
        held.clear();
        return out;
    }

    /** After the commit point the client is sent the upstream's own failure event; before it, nothing is sent. */
    private UpstreamException failed(SseEvent event, UpstreamException exception) {
        if (committed) {
            failure = exception;
            failureEvent = event;
        }
        return exception;
    }

    @Override
    public SseEvent errorEvent(UpstreamException reported) {
        if (reported == failure && failureEvent != null) {
            return failureEvent;
        }
        ObjectNode error = Json.object().put("type", "error");
        reported.code().ifPresentOrElse(code -> error.put("code", code), () -> error.putNull("code"));
        error.put("message", reported.getMessage());
        reported.param().ifPresentOrElse(param -> error.put("param", param), () -> error.putNull("param"));
        error.put("sequence_number", lastSequence + 1);
        return SseEvent.named("error", Json.text(error));
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    @Override
    public WireProtocol protocol() {
        return WireProtocol.OPENAI_RESPONSES;
    }

    /**
     * The failure an upstream Responses error stands for. Its codes are not the chat API's, so the error type that
     * {@link OpenAiErrors} classifies by is derived from the code when the upstream gave none it knows.
     */
    static UpstreamException failure(Target target, JsonNode error, Clock clock) {
        String code = error.path("code").asText("");
        String type = error.path("type").asText("");
        ObjectNode envelope = Json.object();
        ObjectNode body = envelope.putObject("error");
        body.put("message", error.path("message").asText("the upstream failed to produce a response"));
        body.put("type", ERROR_TYPES.contains(type) ? type : typeOf(code));
        body.put("code", code.isEmpty() ? null : code);
        body.set("param", error.path("param").isTextual() ? error.get("param") : null);
        return OpenAiErrors.fromErrorObject(target, 0, envelope, Map.of(), clock.instant());
    }

    private static String typeOf(String code) {
        return switch (code) {
            case "rate_limit_exceeded", "too_many_requests" -> "rate_limit_error";
            case "", "server_error", "vector_store_timeout" -> "server_error";
            default -> "invalid_request_error";
        };
    }
}
