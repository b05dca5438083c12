package ai.higress.provider.gemini;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.Target;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one candidate (or one streamed piece of it) says, read from its {@code content.parts}: answer text, thought
 * summaries (parts marked {@code thought}), and function calls with their thought signatures.
 *
 * @param text      the answer text, empty when there is none
 * @param reasoning the thought summaries, empty when there are none
 * @param calls     the function calls, in order
 * @param hasText   whether any answer-text part was present (an empty one included)
 */
record CandidateParts(String text, String reasoning, List<Call> calls, boolean hasText) {
    private static final Map<String, String> FINISH_REASONS = Map.ofEntries(
            Map.entry("STOP", "stop"),
            Map.entry("MAX_TOKENS", "length"),
            Map.entry("SAFETY", "content_filter"),
            Map.entry("RECITATION", "content_filter"),
            Map.entry("BLOCKLIST", "content_filter"),
            Map.entry("PROHIBITED_CONTENT", "content_filter"),
            Map.entry("SPII", "content_filter"),
            Map.entry("IMAGE_SAFETY", "content_filter"),
            Map.entry("IMAGE_PROHIBITED_CONTENT", "content_filter"));

    /**
     * One function call.
     *
     * @param name      the function's name
     * @param arguments its arguments as JSON text (an object)
     * @param signature the thought signature Gemini attached, empty when none
     */
    record Call(String name, String arguments, String signature) {
    }

    static CandidateParts read(JsonNode candidate, Target target) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<Call> calls = new ArrayList<>();
        boolean hasText = false;
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.has("functionCall")) {
                JsonNode call = part.get("functionCall");
                JsonNode args = call.path("args");
                calls.add(new Call(call.path("name").asText(""), Json.text(args.isObject() ? args : Json.object()),
                        part.path("thoughtSignature").asText("")));
            } else if (part.has("text") && part.path("thought").asBoolean(false)) {
                reasoning.append(part.get("text").asText());
            } else if (part.has("text")) {
                text.append(part.get("text").asText());
                hasText = true;
            } else {
                // a bare signature (or an empty part) carries nothing for the client; anything else cannot be shown
                unknownField(part).ifPresent(field -> {
                    throw UpstreamException.transport(ErrorKind.PROTOCOL, "provider '" + target.providerId()
                            + "' answered with a '" + field + "' part, which an OpenAI chat completion cannot carry");
                });
            }
        }
        return new CandidateParts(text.toString(), reasoning.toString(), List.copyOf(calls), hasText);
    }

    /**
     * Gemini's finish reason in OpenAI's vocabulary: {@code tool_calls} when the turn ended with function calls, the
     * safety family as {@code content_filter}, and anything else that ended a turn (OTHER, LANGUAGE,
     * MALFORMED_FUNCTION_CALL, reasons added later) as {@code stop}.
     */
    static String finishReason(String gemini, boolean calledFunctions) {
        String mapped = FINISH_REASONS.getOrDefault(gemini, "stop");
        return calledFunctions && mapped.equals("stop") ? "tool_calls" : mapped;
    }

    /** The OpenAI {@code tool_calls} entry for {@code call}, carrying its thought signature the way Google does. */
    static ObjectNode toolCall(Call call, String id) {
        ObjectNode node = Json.object().put("id", id).put("type", "function");
        node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
        if (!call.signature().isEmpty()) {
            node.putObject("extra_content").putObject("google").put("thought_signature", call.signature());
        }
        return node;
    }

    /** A tool call id that is the same wherever the completion's id and the call's place are the same. */
    static String toolCallId(String completionId, int choice, int call) {
        return "call_" + completionId.substring(completionId.indexOf('-') + 1) + "_" + choice + "_" + call;
    }

    private static Optional<String> unknownField(JsonNode part) {
        var names = part.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("thoughtSignature") && !name.equals("thought")) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
