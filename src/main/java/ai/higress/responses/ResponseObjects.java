package ai.higress.responses;

import java.util.List;
import java.util.Optional;

import ai.higress.schema.ChatRequest;
import ai.higress.schema.Json;
import ai.higress.schema.Usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the Response object and its output items as the API returns them. Like the API, the response echoes the
 * request's parameters, with the API's defaults for those the client left out, so clients that read them back see what
 * was asked for. {@code usage} appears once it is known.
 */
final class ResponseObjects {

    private ResponseObjects() {
    }

    /** A response in progress with no output yet: the object of {@code response.created}. */
    static ObjectNode inProgress(ChatRequest request, String id, long createdAt, String model) {
        JsonNode client = request.clientBody();
        ObjectNode response = Json.object();
        response.put("id", id);
        response.put("object", "response");
        response.put("created_at", createdAt);
        response.put("status", "in_progress");
        response.put("background", false);
        response.putNull("completed_at");
        response.putNull("error");
        response.putNull("incomplete_details");
        response.set("instructions", echo(client, "instructions"));
        response.set("max_output_tokens", echo(client, "max_output_tokens"));
        response.putNull("max_tool_calls");
        response.put("model", model);
        response.putArray("output");
        response.put("parallel_tool_calls", client.path("parallel_tool_calls").asBoolean(true));
        response.set("previous_response_id", echo(client, "previous_response_id"));
        response.set("prompt_cache_key", echo(client, "prompt_cache_key"));
        response.set("reasoning", reasoning(client.path("reasoning")));
        response.set("safety_identifier", echo(client, "safety_identifier"));
        response.put("service_tier", client.path("service_tier").asText("auto"));
        response.put("store", client.path("store").asBoolean(true));
        response.put("temperature", client.path("temperature").asDouble(1.0));
        response.set("text", text(client.path("text")));
        response.set("tool_choice", present(client, "tool_choice") ? client.get("tool_choice")
                : Json.MAPPER.getNodeFactory().textNode("auto"));
        response.set("tools", tools(client.path("tools")));
        response.put("top_logprobs", 0);
        response.put("top_p", client.path("top_p").asDouble(1.0));
        response.put("truncation", "disabled");
        if (present(client, "user")) {
            // the schema has no null for these two: absent rather than null until known
            response.set("user", client.get("user"));
        }
        response.set("metadata", present(client, "metadata") ? client.get("metadata") : Json.object());
        return response;
    }

    /**
     * Marks {@code response} finished: {@code completed}, or {@code incomplete} for a chat finish reason that cut the
     * answer short, with its output and usage.
     */
    static void finish(ObjectNode response, String finishReason, List<ObjectNode> output, Optional<Usage> usage,
                       long completedAt) {
        Optional<String> incomplete = incompleteReason(finishReason);
        response.put("status", incomplete.isPresent() ? "incomplete" : "completed");
        if (incomplete.isPresent()) {
            response.putObject("incomplete_details").put("reason", incomplete.get());
        } else {
            response.put("completed_at", completedAt);
        }
        ArrayNode items = response.putArray("output");
        output.forEach(items::add);
        usage.ifPresent(value -> response.set("usage", usage(value)));
    }

    /** Why a chat finish reason leaves a response incomplete, in the API's words; empty when it completed. */
    static Optional<String> incompleteReason(String finishReason) {
        return switch (finishReason) {
            case "length" -> Optional.of("max_output_tokens");
            case "content_filter" -> Optional.of("content_filter");
            default -> Optional.empty();
        };
    }

    static ObjectNode usage(Usage usage) {
        ObjectNode node = Json.object();
        node.put("input_tokens", usage.promptTokens());
        ObjectNode input = node.putObject("input_tokens_details");
        input.put("cached_tokens", usage.cachedTokens());
        input.put("cache_write_tokens", 0);
        node.put("output_tokens", usage.completionTokens());
        node.putObject("output_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        node.put("total_tokens", usage.totalTokens());
        return node;
    }

    /** An assistant message item; {@code parts} are output_text or refusal parts. */
    static ObjectNode message(String id, String status, List<ObjectNode> parts) {
        ObjectNode item = Json.object();
        item.put("id", id);
        item.put("type", "message");
        item.put("status", status);
        item.put("role", "assistant");
        ArrayNode content = item.putArray("content");
        parts.forEach(content::add);
        return item;
    }

    static ObjectNode outputText(String text) {
        ObjectNode part = Json.object();
        part.put("type", "output_text");
        part.put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    static ObjectNode refusal(String text) {
        ObjectNode part = Json.object();
        part.put("type", "refusal");
        part.put("refusal", text);
        return part;
    }

    static ObjectNode reasoningText(String text) {
        ObjectNode part = Json.object();
        part.put("type", "reasoning_text");
        part.put("text", text);
        return part;
    }

    /** A reasoning item carrying the model's reasoning text (chat's {@code reasoning_content}); no summary. */
    static ObjectNode reasoning(String id, String status, List<ObjectNode> parts) {
        ObjectNode item = Json.object();
        item.put("id", id);
        item.put("type", "reasoning");
        item.put("status", status);
        item.putArray("summary");
        ArrayNode content = item.putArray("content");
        parts.forEach(content::add);
        return item;
    }

    static ObjectNode functionCall(String id, String status, String callId, String name, String arguments) {
        ObjectNode item = Json.object();
        item.put("id", id);
        item.put("type", "function_call");
        item.put("status", status);
        item.put("call_id", callId);
        item.put("name", name);
        item.put("arguments", arguments);
        return item;
    }

    private static JsonNode echo(JsonNode client, String field) {
        return present(client, field) ? client.get(field) : Json.MAPPER.getNodeFactory().nullNode();
    }

    private static boolean present(JsonNode client, String field) {
        return client.hasNonNull(field);
    }

    private static ObjectNode reasoning(JsonNode reasoning) {
        ObjectNode echo = Json.object();
        echo.set("effort", echo(reasoning, "effort"));
        echo.set("summary", echo(reasoning, "summary"));
        return echo;
    }

    private static ObjectNode text(JsonNode text) {
        ObjectNode echo = Json.object();
        echo.set("format", present(text, "format") ? text.get("format") : Json.object().put("type", "text"));
        echo.put("verbosity", text.path("verbosity").asText("medium"));
        return echo;
    }

    /** The function tools as the API lists them: every field present, null where the client left it out. */
    private static ArrayNode tools(JsonNode tools) {
        ArrayNode echo = Json.MAPPER.createArrayNode();
        for (JsonNode tool : tools) {
            ObjectNode function = echo.addObject();
            function.put("type", "function");
            function.set("name", tool.get("name"));
            if (present(tool, "description")) {
                function.set("description", tool.get("description"));
            }
            function.set("parameters", echo(tool, "parameters"));
            function.set("strict", echo(tool, "strict"));
        }
        return echo;
    }
}
