package ai.higress.responses;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import ai.higress.schema.ChatRequest;
import ai.higress.schema.ChatRequestParser;
import ai.higress.schema.Json;
import ai.higress.schema.RequestFeatures;
import ai.higress.schema.WireProtocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a Responses API request against an explicit parameter table and turns it into the canonical chat request.
 * Every parameter is mapped to chat completions, kept by the gateway ({@code store}, {@code previous_response_id},
 * {@code metadata}), accepted without effect, or refused when set; an unknown one is refused as the API refuses it,
 * because the gateway forwards nothing it has not understood. A request behaves the same whichever target serves it,
 * so what only OpenAI's own service could honour is refused even when an OpenAI target might win.
 */
public final class ResponsesRequests {
    private static final Set<JsonNodeType> NUMBER = Set.of(JsonNodeType.NUMBER);
    private static final Set<JsonNodeType> STRING = Set.of(JsonNodeType.STRING);
    private static final Set<JsonNodeType> BOOLEAN = Set.of(JsonNodeType.BOOLEAN);
    private static final Set<JsonNodeType> OBJECT = Set.of(JsonNodeType.OBJECT);
    private static final Set<JsonNodeType> ARRAY = Set.of(JsonNodeType.ARRAY);

    /** Every parameter the gateway knows, with its JSON shape; null always means "the default". */
    private static final Map<String, Set<JsonNodeType>> PARAMETERS = Map.ofEntries(
            Map.entry("model", STRING), Map.entry("input", Set.of(JsonNodeType.STRING, JsonNodeType.ARRAY)),
            Map.entry("instructions", STRING), Map.entry("temperature", NUMBER), Map.entry("top_p", NUMBER),
            Map.entry("max_output_tokens", NUMBER), Map.entry("tools", ARRAY),
            Map.entry("tool_choice", Set.of(JsonNodeType.STRING, JsonNodeType.OBJECT)),
            Map.entry("parallel_tool_calls", BOOLEAN), Map.entry("text", OBJECT), Map.entry("reasoning", OBJECT),
            Map.entry("user", STRING), Map.entry("safety_identifier", STRING), Map.entry("prompt_cache_key", STRING),
            Map.entry("service_tier", STRING), Map.entry("stream", BOOLEAN), Map.entry("store", BOOLEAN),
            Map.entry("previous_response_id", STRING), Map.entry("metadata", OBJECT), Map.entry("include", ARRAY),
            Map.entry("stream_options", OBJECT), Map.entry("prompt_cache_retention", STRING),
            Map.entry("prompt_cache_options", OBJECT), Map.entry("truncation", STRING),
            Map.entry("background", BOOLEAN), Map.entry("top_logprobs", NUMBER),
            Map.entry("conversation", Set.of(JsonNodeType.STRING, JsonNodeType.OBJECT)), Map.entry("prompt", OBJECT),
            Map.entry("context_management", ARRAY), Map.entry("max_tool_calls", NUMBER),
            Map.entry("moderation", OBJECT));

    /** Parameters that need state or services only OpenAI's own API has: refused whenever they are set. */
    private static final Map<String, String> REFUSED = Map.of(
            "conversation", "Conversations are not supported by this gateway; use previous_response_id.",
            "prompt", "Stored prompt templates are not supported by this gateway; send the prompt as input.",
            "context_management", "Context management is not supported by this gateway.",
            "max_tool_calls", "max_tool_calls is not supported by this gateway.",
            "moderation", "Moderation settings are not supported by this gateway.");

    /** Copied to chat completions under the same name. */
    private static final List<String> SAME_NAME = List.of("temperature", "top_p", "user", "safety_identifier",
            "prompt_cache_key", "service_tier");

    private ResponsesRequests() {
    }

    /** Validates {@code body}; a 400 naming the parameter when something is wrong or cannot be honoured. */
    public static ResponsesCall read(ObjectNode body) {
        checkParameters(body);
        String model = RequestErrors.text(body.get("model"), "model");
        if (model.isBlank()) {
            throw RequestErrors.type("model", "a non-empty string", body.get("model"));
        }
        List<ObjectNode> input = InputItems.normalise(body.get("input"));
        checkWithoutEffect(body);
        checkMetadata(body.get("metadata"));
        Optional<String> previous = set(body, "previous_response_id").map(JsonNode::asText);
        if (previous.isPresent() && previous.get().isBlank()) {
            throw RequestErrors.type("previous_response_id", "a non-empty string", body.get("previous_response_id"));
        }
        return new ResponsesCall(body, model, set(body, "instructions").map(JsonNode::asText), input,
                chatParameters(body), previous, set(body, "store").map(JsonNode::asBoolean).orElse(true),
                set(body, "stream").map(JsonNode::asBoolean).orElse(false));
    }

    /**
     * The canonical chat request for {@code call}, continuing {@code history} (the stored conversation of its previous
     * response). Without a history, a {@code previous_response_id} can only be served by an upstream that holds it.
     * With one, the client body a native upstream is sent carries the whole conversation as its input.
     */
    public static ChatRequest toChat(ResponsesCall call, Optional<List<ObjectNode>> history) {
        List<ObjectNode> conversation = new ArrayList<>(history.orElse(List.of()));
        conversation.addAll(call.input());
        ObjectNode chat = Json.object();
        chat.put("model", call.model());
        ArrayNode messages = chat.putArray("messages");
        call.instructions().ifPresent(text -> messages.addObject().put("role", "system").put("content", text));
        InputItems.toMessages(conversation, messages);
        chat.setAll(call.chatParameters());
        if (call.stream()) {
            chat.put("stream", true);
            // usage reaches the Responses events only if the upstream is asked for it
            chat.putObject("stream_options").put("include_usage", true);
        }
        ChatRequest parsed = ChatRequestParser.parse(chat);
        RequestFeatures features = call.previousResponseId().isPresent() && history.isEmpty()
                ? parsed.features().withUpstreamState() : parsed.features();
        ObjectNode clientBody = call.body();
        if (history.isPresent()) {
            clientBody = call.body().deepCopy();
            ArrayNode input = clientBody.putArray("input");
            conversation.forEach(item -> input.add(ItemResources.anonymous(item)));
        }
        return new ChatRequest(parsed.model(), parsed.stream(), parsed.includeUsage(), features, parsed.body())
                .fromClient(WireProtocol.OPENAI_RESPONSES, clientBody);
    }

    private static void checkParameters(ObjectNode body) {
        body.fieldNames().forEachRemaining(name -> {
            Set<JsonNodeType> types = PARAMETERS.get(name);
            if (types == null) {
                throw RequestErrors.unknown(name);
            }
            JsonNode value = body.get(name);
            if (value.isNull()) {
                return;
            }
            if (!types.contains(value.getNodeType())) {
                throw RequestErrors.type(name, expected(types), value);
            }
            if (REFUSED.containsKey(name)) {
                throw RequestErrors.unsupported(name, REFUSED.get(name));
            }
        });
    }

    /** Parameters accepted for compatibility whose effect only OpenAI's own service has: only their no-op values. */
    private static void checkWithoutEffect(ObjectNode body) {
        if (set(body, "truncation").filter(value -> !value.asText().equals("disabled")).isPresent()) {
            throw RequestErrors.unsupported("truncation", "Only truncation 'disabled' is supported by this gateway: "
                    + "a request that does not fit the model's context fails instead of losing its beginning.");
        }
        if (set(body, "background").filter(JsonNode::asBoolean).isPresent()) {
            throw RequestErrors.unsupported("background", "Background responses are not supported by this gateway.");
        }
        if (set(body, "top_logprobs").filter(value -> value.asDouble() != 0).isPresent()) {
            throw RequestErrors.unsupported("top_logprobs", "top_logprobs is not supported by this gateway.");
        }
    }

    private static void checkMetadata(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return;
        }
        metadata.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isTextual()) {
                throw RequestErrors.type("metadata." + entry.getKey(), "a string", entry.getValue());
            }
        });
    }

    private static ObjectNode chatParameters(ObjectNode body) {
        ObjectNode chat = Json.object();
        SAME_NAME.forEach(name -> set(body, name).ifPresent(value -> chat.set(name, value)));
        set(body, "max_output_tokens").ifPresent(value -> {
            if (!value.canConvertToExactIntegral() || value.asLong() < 16) {
                throw RequestErrors.unsupported("max_output_tokens", "Invalid 'max_output_tokens': expected an "
                        + "integer of at least 16.");
            }
            chat.set("max_completion_tokens", value);
        });
        ArrayNode tools = set(body, "tools").map(ResponsesTools::chatTools).orElse(Json.MAPPER.createArrayNode());
        Optional<JsonNode> choice = set(body, "tool_choice").map(ResponsesTools::chatToolChoice);
        if (!tools.isEmpty()) {
            // chat completions refuses a tool choice or parallel calls without tools; without tools neither matters
            chat.set("tools", tools);
            choice.ifPresent(value -> chat.set("tool_choice", value));
            set(body, "parallel_tool_calls").ifPresent(value -> chat.set("parallel_tool_calls", value));
        }
        set(body, "text").ifPresent(text -> ResponsesTools.text(text, chat));
        set(body, "reasoning").map(reasoning -> reasoning.get("effort")).filter(effort -> !effort.isNull())
                .ifPresent(effort -> chat.put("reasoning_effort", RequestErrors.text(effort, "reasoning.effort")));
        return chat;
    }

    /** The parameter's value when it is present and not null. */
    private static Optional<JsonNode> set(ObjectNode body, String name) {
        JsonNode value = body.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    private static String expected(Set<JsonNodeType> types) {
        List<String> names = new ArrayList<>();
        for (JsonNodeType type : types) {
            names.add(switch (type) {
                case ARRAY -> "an array";
                case OBJECT -> "an object";
                case BOOLEAN -> "a boolean";
                case NUMBER -> "a number";
                default -> "a string";
            });
        }
        names.sort(String::compareTo);
        return String.join(" or ", names);
    }
}
