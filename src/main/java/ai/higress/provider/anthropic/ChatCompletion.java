package ai.higress.provider.anthropic;

import java.util.Optional;

import ai.higress.schema.Json;
import ai.higress.schema.Usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An Anthropic message as an OpenAI chat completion: text blocks joined as the content, {@code tool_use} blocks as
 * {@code tool_calls} (input serialised as the arguments string), {@code thinking} blocks joined as the non-standard
 * {@code reasoning_content} (the field DeepSeek and vLLM use; redacted thinking is left out), and in JSON mode the
 * forced tool's input as the content. Block types the gateway never asks for (server tools, citations) carry nothing
 * an OpenAI client could use and are skipped.
 *
 * @param body         the completion
 * @param usage        the usage, when the message reported it
 * @param finishReason the OpenAI finish reason
 */
record ChatCompletion(ObjectNode body, Optional<Usage> usage, String finishReason) {

    static ChatCompletion of(JsonNode message, boolean jsonMode, long created) {
        String finishReason = StopReasons.finishReason(message.path("stop_reason").asText(""), jsonMode);
        Optional<Usage> usage = new UsageCounts().update(message.get("usage")).usage();
        ObjectNode body = Json.object().put("id", message.path("id").asText(""))
                .put("object", "chat.completion").put("created", created)
                .put("model", message.path("model").asText(""));
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.set("message", reply(message.path("content"), jsonMode));
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        usage.ifPresent(counts -> body.set("usage", UsageCounts.openAi(counts)));
        return new ChatCompletion(body, usage, finishReason);
    }

    private static ObjectNode reply(JsonNode content, boolean jsonMode) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode toolCalls = Json.MAPPER.createArrayNode();
        for (JsonNode block : content) {
            switch (block.path("type").asText("")) {
                case "text" -> text.append(block.path("text").asText(""));
                case "thinking" -> reasoning.append(block.path("thinking").asText(""));
                case "tool_use" -> {
                    if (jsonMode && ToolMapping.JSON_TOOL.equals(block.path("name").asText())) {
                        text.append(Json.text(block.path("input")));
                    } else {
                        toolCalls.add(toolCall(block));
                    }
                }
                default -> {
                    // redacted thinking, server tool blocks: nothing an OpenAI client can use
                }
            }
        }
        ObjectNode reply = Json.object().put("role", "assistant");
        if (text.isEmpty() && !toolCalls.isEmpty()) {
            reply.putNull("content");
        } else {
            reply.put("content", text.toString());
        }
        reply.putNull("refusal");
        if (!reasoning.isEmpty()) {
            reply.put("reasoning_content", reasoning.toString());
        }
        if (!toolCalls.isEmpty()) {
            reply.set("tool_calls", toolCalls);
        }
        return reply;
    }

    private static ObjectNode toolCall(JsonNode block) {
        ObjectNode call = Json.object().put("id", block.path("id").asText("")).put("type", "function");
        call.putObject("function").put("name", block.path("name").asText(""))
                .put("arguments", Json.text(block.path("input").isMissingNode() ? Json.object() : block.get("input")));
        return call;
    }
}
