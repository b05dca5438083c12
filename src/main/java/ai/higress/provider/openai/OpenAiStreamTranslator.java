package ai.higress.provider.openai;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.higress.error.UpstreamException;
import ai.higress.provider.StreamTranslator;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamJson;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;
import ai.higress.stream.SseEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OpenAI chunks relayed to an OpenAI client. Events pass through as they came, except that usage the gateway asked
 * for on the client's behalf is captured and hidden when the client did not ask for it, and an error object inside
 * the stream becomes an {@link UpstreamException}.
 */
final class OpenAiStreamTranslator implements StreamTranslator {
    private static final String NULL_USAGE_LAST = ",\"usage\":null}";

    private final Target target;
    private final boolean clientWantsUsage;
    private final Clock clock;
    private boolean finished;
    private Usage usage;

    OpenAiStreamTranslator(Target target, boolean clientWantsUsage, Clock clock) {
        this.target = target;
        this.clientWantsUsage = clientWantsUsage;
        this.clock = clock;
    }

    @Override
    public List<SseEvent> onEvent(SseEvent event) {
        if (finished) {
            return List.of();
        }
        if (event.isDone()) {
            finished = true;
            return List.of(event);
        }
        String data = event.data();
        Optional<List<SseEvent>> quick = withoutParsing(event, data);
        if (quick.isPresent()) {
            return quick.get();
        }
        JsonNode chunk = UpstreamJson.event(data, target);
        if (chunk.hasNonNull("error") && !chunk.has("choices")) {
            throw OpenAiErrors.fromErrorObject(target, 0, chunk, Map.of(), clock.instant());
        }
        Optional<Usage> reported = Usage.fromOpenAi(chunk.get("usage"))
                .or(() -> Usage.fromOpenAi(chunk.path("x_groq").get("usage")));
        reported.ifPresent(seen -> usage = seen);
        if (clientWantsUsage || !chunk.has("usage")) {
            return List.of(event);
        }
        // the gateway asked for usage on the client's behalf: answer as if it had not been asked
        if (reported.isPresent() && chunk.path("choices").isEmpty()) {
            return List.of();
        }
        ((ObjectNode) chunk).remove("usage");
        return List.of(new SseEvent(event.event(), Json.text(chunk), event.id()));
    }

    /**
     * Most chunks carry no usage (or OpenAI's {@code "usage":null}, written last) and no error: those are relayed
     * after a structural check without building a JSON tree, which is most of the relay's cost per event. Anything
     * else is parsed.
     */
    private Optional<List<SseEvent>> withoutParsing(SseEvent event, String data) {
        if (!looksLikeObject(data) || data.contains("\"error\"") || data.contains("x_groq")) {
            return Optional.empty();
        }
        int usageAt = data.indexOf("\"usage\"");
        if (usageAt < 0) {
            return Optional.of(List.of(event));
        }
        if (usageAt != data.lastIndexOf("\"usage\"") || !data.endsWith(NULL_USAGE_LAST)) {
            return Optional.empty();
        }
        if (clientWantsUsage) {
            return Optional.of(List.of(event));
        }
        String stripped = data.substring(0, data.length() - NULL_USAGE_LAST.length()) + "}";
        return Optional.of(List.of(new SseEvent(event.event(), stripped, event.id())));
    }

    private static boolean looksLikeObject(String data) {
        int first = 0;
        int last = data.length() - 1;
        while (first <= last && Character.isWhitespace(data.charAt(first))) {
            first++;
        }
        while (last >= first && Character.isWhitespace(data.charAt(last))) {
            last--;
        }
        return first < last && data.charAt(first) == '{' && data.charAt(last) == '}';
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    /** Compatible vendors' chunks may leave {@code model} empty (Azure's opening one does); they pass as they are. */
    @Override
    public Optional<String> upstreamModel() {
        return Optional.of(target.upstreamModel());
    }
}
