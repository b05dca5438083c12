package ai.higress.provider.gemini;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import ai.higress.error.ErrorKind;
import ai.higress.error.UpstreamException;
import ai.higress.provider.ChatResult;
import ai.higress.provider.Target;
import ai.higress.provider.UpstreamJson;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;
import ai.higress.schema.WireProtocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@code GenerateContentResponse} as an OpenAI chat completion: one choice per candidate, text as {@code content},
 * thought summaries as {@code reasoning_content}, function calls as {@code tool_calls}. A prompt Gemini blocked (no
 * candidate, a {@code promptFeedback.blockReason}) is a content-filter error, as OpenAI reports a filtered prompt,
 * rather than an empty answer the client could mistake for one.
 */
final class GeminiResponse {

    private GeminiResponse() {
    }

    /**
     * Reads a response body.
     *
     * @param fallbackId the completion id's suffix when Gemini gave no {@code responseId}
     * @param created    the completion's creation time, epoch seconds
     */
    static ChatResult read(byte[] body, Target target, String fallbackId, long created) {
        JsonNode root = UpstreamJson.body(body, target);
        if (root.hasNonNull("error") && !root.has("candidates")) {
            throw GeminiErrors.fromErrorObject(target, root);
        }
        List<JsonNode> candidates = candidates(root, target);
        String id = completionId(root, fallbackId);
        ObjectNode completion = Json.object().put("id", id).put("object", "chat.completion").put("created", created)
                .put("model", modelOf(root, target));
        ArrayNode choices = completion.putArray("choices");
        for (JsonNode candidate : candidates) {
            choices.add(choice(candidate, id, target));
        }
        Optional<Usage> usage = GeminiUsage.read(root.get("usageMetadata"));
        usage.ifPresent(seen -> completion.set("usage", GeminiUsage.json(seen)));
        String finishReason = choices.path(0).path("finish_reason").asText("");
        return new ChatResult(Json.bytes(completion), usage, finishReason);
    }

    /**
     * A body relayed untouched to a client that speaks Gemini itself; only usage and the finish reason (in OpenAI's
     * vocabulary, for the request log) are read. A blocked prompt is relayed too: the client knows the field.
     */
    static ChatResult relayed(byte[] body, Target target) {
        JsonNode root = UpstreamJson.body(body, target);
        if (root.hasNonNull("error") && !root.has("candidates")) {
            throw GeminiErrors.fromErrorObject(target, root);
        }
        JsonNode candidate = root.path("candidates").path(0);
        String reason = candidate.path("finishReason").asText("");
        boolean calledFunctions = !candidate.path("content").path("parts").findValues("functionCall").isEmpty();
        String finishReason = !reason.isEmpty() ? CandidateParts.finishReason(reason, calledFunctions)
                : root.path("promptFeedback").hasNonNull("blockReason") ? "content_filter" : "";
        return new ChatResult(body, GeminiUsage.read(root.get("usageMetadata")), finishReason, WireProtocol.GEMINI);
    }

    private static List<JsonNode> candidates(JsonNode root, Target target) {
        List<JsonNode> candidates = new ArrayList<>();
        root.path("candidates").forEach(candidates::add);
        if (candidates.isEmpty()) {
            throw blockedOrEmpty(root.path("promptFeedback"), target, 200);
        }
        candidates.sort(Comparator.comparingInt(candidate -> candidate.path("index").asInt(0)));
        return candidates;
    }

    /** The failure for an answer without candidates: a blocked prompt, or an answer that says nothing. */
    static UpstreamException blockedOrEmpty(JsonNode feedback, Target target, int status) {
        String reason = feedback.path("blockReason").asText("");
        if (reason.isEmpty()) {
            return UpstreamException.transport(ErrorKind.PROTOCOL,
                    "provider '" + target.providerId() + "' answered without any candidate");
        }
        return UpstreamException.answered(ErrorKind.CONTENT_FILTERED, status, "The prompt was blocked by the "
                + "provider's content filter (" + reason + ").", Optional.of("messages"),
                Optional.of("content_filter"), Optional.empty());
    }

    private static ObjectNode choice(JsonNode candidate, String completionId, Target target) {
        int index = candidate.path("index").asInt(0);
        CandidateParts parts = CandidateParts.read(candidate, target);
        ObjectNode message = Json.object().put("role", "assistant");
        if (parts.hasText()) {
            message.put("content", parts.text());
        } else {
            message.putNull("content");
        }
        message.putNull("refusal");
        if (!parts.calls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (int i = 0; i < parts.calls().size(); i++) {
                calls.add(CandidateParts.toolCall(parts.calls().get(i), CandidateParts.toolCallId(completionId,
                        index, i)));
            }
        }
        if (!parts.reasoning().isEmpty()) {
            message.put("reasoning_content", parts.reasoning());
        }
        ObjectNode choice = Json.object().put("index", index);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", CandidateParts.finishReason(candidate.path("finishReason").asText("STOP"),
                !parts.calls().isEmpty()));
        return choice;
    }

    /** One stream event: a JSON object, and not an error (which Gemini may send mid-stream, as an event). */
    static JsonNode event(String data, Target target) {
        JsonNode root = UpstreamJson.event(data, target);
        if (root.hasNonNull("error")) {
            throw GeminiErrors.fromErrorObject(target, root);
        }
        return root;
    }

    static String completionId(JsonNode root, String fallbackId) {
        String responseId = root.path("responseId").asText("");
        return "chatcmpl-" + (responseId.isEmpty() ? fallbackId : responseId);
    }

    static String modelOf(JsonNode root, Target target) {
        String version = root.path("modelVersion").asText("");
        return version.isEmpty() ? GeminiModels.bareName(target.upstreamModel()) : version;
    }

}
